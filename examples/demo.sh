#!/bin/sh
# demo.sh - the main job, end to end: the learnstore CLI (built on the
# bindings schemac generated from schema/learning.schema) opens the store
# at DB, records an execution, a pattern and a rate-limit event, reads
# them back, and with --clear empties the data tables again.
#   usage: demo.sh LEARNSTORE_BINARY DB [--clear]
# make demo passes a scratch file in the build folder as DB, or
# LEARNSTORE_DB when it is set.
set -eu
ls=$1
db=$2
clear=${3:-}
LEARNSTORE_DB=$db
export LEARNSTORE_DB

case $db in
*demo/global-learning.db)
    echo "== learning store at $db"
    echo "   (a scratch database: make demo LEARNSTORE_DB=PATH uses another)" ;;
*)
    echo "== learning store at $db (LEARNSTORE_DB)" ;;
esac
"$ls" init

echo
echo "== record an execution, a pattern and a rate-limit event"
exec_id=$("$ls" record-outcome --job demo-job --sheet sheet-3 \
    --workspace . --duration 12.5 --retries 1 --pass-rate 0.9 \
    --model demo-model --error E101 --error E202)
echo "execution $exec_id"
pattern_id=$("$ls" record-pattern --type retry --name "Wait  for the API" \
    --description "back off before retrying" --tag api --tag network)
echo "pattern   $pattern_id"
"$ls" record-rate-limit --code E429 --duration 60 --job demo-job \
    --model demo-model

echo
echo "== the pattern, read back by its key"
"$ls" pattern "$pattern_id"

echo
echo "== patterns tagged 'api', by priority"
"$ls" patterns --tag api

echo
echo "== recent executions of demo-job"
"$ls" executions --job demo-job --limit 5

echo
echo "== rate limits"
"$ls" rate-limits

echo
echo "== the same, as JSON"
"$ls" --json executions --job demo-job --limit 1

echo
"$ls" stats
if [ "$clear" = "--clear" ]; then
    echo
    "$ls" clear --yes
    "$ls" stats
fi
