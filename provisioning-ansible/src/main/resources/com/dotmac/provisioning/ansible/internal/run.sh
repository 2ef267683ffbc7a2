#!/bin/sh
# Runs one provisioning job's ansible-playbook; written into the run directory by the provisioning library's
# local runner (AnsiblePlaybookRunner), which starts it with setsid (so its pid is the id of the run's process
# group) in the run directory, with the ansible-playbook command line as arguments.
#
# It records its pid in "pid", the playbook's output in "stdout.log", and the exit status in "rc" (atomically,
# last), and removes the files that may hold secrets (extra-vars.json, inventory.yml) however the playbook ends.
# Only SIGKILL stops it from doing so; the runner then removes them itself. A "cancel" file asks it not to start.
umask 077
echo "$$" > pid.tmp && mv -f pid.tmp pid || exit 70

finish() {
  rm -f extra-vars.json inventory.yml
  echo "$1" > rc.tmp && mv -f rc.tmp rc
  exit "$1"
}

if [ -e cancel ]; then finish 143; fi

child=""
trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; fi' TERM INT HUP
"$@" > stdout.log 2>&1 < /dev/null &
child=$!
# a cancel that arrived while the playbook was being started
if [ -e cancel ]; then kill -TERM "$child" 2>/dev/null; fi
while :; do
  wait "$child"
  status=$?
  # wait returns early when a signal arrives; the playbook may still be shutting down
  kill -0 "$child" 2>/dev/null || break
done
finish "$status"
