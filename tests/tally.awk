# tally.awk - count what one test program reported, for tests/run-suite.sh
# and suite_run in tests/suite.sh (tests/suite.sh's header describes the
# lines).  Reads the program's output; prints one line
#     PASSED FAILED SKIPPED NPLANS PLANNED
# (NPLANS counts "PLAN N" lines; PLANNED is N plus every "PLAN +N NAME"),
# then one line for each way the output breaks its plan:
#     no PLAN line
#     2 PLAN lines
#     PLAN line after its first result
#     planned no tests
#     planned N, reported M
#     malformed plan line 'TEXT'
# Nothing after the first line means the output kept its plan.

BEGIN {
    npass = 0; nfail = 0; nskip = 0
    nplans = 0; planned = 0; subplanned = 0
    late = 0; nbad = 0
}

/^PLAN [0-9]+( |$)/ {
    nplans++
    if (npass + nfail + nskip > 0)
        late = 1
    planned = $2 + 0
    next
}

/^PLAN \+[0-9]+( |$)/ {
    subplanned += substr($2, 2) + 0
    next
}

/^PLAN( |$)/ {
    bad[++nbad] = $0
    next
}

/^PASS / { npass++ }
/^FAIL / { nfail++ }
/^SKIP / { nskip++ }

END {
    reported = npass + nfail + nskip
    print npass, nfail, nskip, nplans, planned + subplanned
    if (nplans == 0) {
        print "no PLAN line"
    } else if (nplans > 1) {
        print nplans " PLAN lines"
    } else {
        if (late)
            print "PLAN line after its first result"
        if (planned + subplanned == 0)
            print "planned no tests"
        else if (reported != planned + subplanned)
            print "planned " planned + subplanned ", reported " reported
    }
    for (i = 1; i <= nbad; i++)
        print "malformed plan line '" bad[i] "'"
}
