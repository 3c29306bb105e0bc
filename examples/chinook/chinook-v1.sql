-- Rows of a version-1 Chinook database, in the manner of Chinook's own
-- data and written straight in SQL as its script does.  The suite loads
-- them after `schemac --ddl-version 1 chinook.schema` and records version
-- 1 (PRAGMA user_version); the program then opens the file, which
-- migrates it to version 2 and counts each customer's loyalty points.
INSERT INTO Genre (Name) VALUES ('Rock'), ('Jazz');
INSERT INTO MediaType (Name) VALUES ('MPEG audio file');
INSERT INTO Artist (Name) VALUES ('AC/DC'), ('Antônio Carlos Jobim');
INSERT INTO Album (Title, ArtistId)
VALUES ('For Those About To Rock We Salute You', 1), ('Warner 25 Anos', 2);
INSERT INTO Track (Name, AlbumId, MediaTypeId, GenreId, Composer,
                   Milliseconds, Bytes, UnitPrice)
VALUES ('For Those About To Rock (We Salute You)', 1, 1, 1,
        'Angus Young, Malcolm Young, Brian Johnson', 343719, 11170334, 0.99),
       ('Put The Finger On You', 1, 1, 1,
        'Angus Young, Malcolm Young, Brian Johnson', 205662, 6713451, 0.99),
       ('Desafinado', 2, 1, 2, NULL, 185338, 5990473, 0.99);
INSERT INTO Employee (LastName, FirstName, Title, ReportsTo, BirthDate,
                      HireDate, City, Country, Email)
VALUES ('Adams', 'Andrew', 'General Manager', NULL, '1962-02-18 00:00:00',
        '2002-08-14 00:00:00', 'Edmonton', 'Canada',
        'andrew@chinookcorp.com'),
       ('Peacock', 'Jane', 'Sales Support Agent', 1, '1973-08-29 00:00:00',
        '2002-04-01 00:00:00', 'Calgary', 'Canada',
        'jane@chinookcorp.com');
INSERT INTO Customer (FirstName, LastName, City, Country, Email,
                      SupportRepId)
VALUES ('Luís', 'Gonçalves', 'São José dos Campos', 'Brazil',
        'luisg@embraer.com.br', 2),
       ('Leonie', 'Köhler', 'Stuttgart', 'Germany', 'leonekohler@surfeu.de',
        2),
       ('François', 'Tremblay', 'Montréal', 'Canada', 'ftremblay@gmail.com',
        NULL);
INSERT INTO Invoice (CustomerId, InvoiceDate, BillingCity, BillingCountry,
                     Total)
VALUES (1, '2010-03-11 00:00:00', 'São José dos Campos', 'Brazil', 3.98),
       (1, '2011-06-13 00:00:00', 'São José dos Campos', 'Brazil', 13.86),
       (2, '2009-01-01 00:00:00', 'Stuttgart', 'Germany', 1.98);
INSERT INTO InvoiceLine (InvoiceId, TrackId, UnitPrice, Quantity)
VALUES (1, 1, 0.99, 2), (1, 3, 0.99, 2), (2, 2, 0.99, 14), (3, 3, 0.99, 2);
INSERT INTO Playlist (Name) VALUES ('Music'), ('Bossa Nova');
INSERT INTO PlaylistTrack (PlaylistId, TrackId)
VALUES (1, 1), (1, 2), (1, 3), (2, 3);
