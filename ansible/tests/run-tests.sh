#!/usr/bin/env bash
# Tests the Ansible content for real: syntax check, ansible-lint, then
# provision / re-run / upgrade / decommission of tenants on localhost in a
# temporary workspace, the callback against a local HTTP server, and the
# rendering of a customer-hosted inventory. Works from any directory.
# Needs ansible-playbook, ansible-inventory, ansible-lint and python3.
set -euo pipefail

ansible_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ANSIBLE_CONFIG="$ansible_dir/ansible.cfg"
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_STDOUT_CALLBACK=default

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

inventory="$ansible_dir/inventories/dotmac_hosted/hosts.yml"
root="$work/tenants"
logs="$work/logs"
mkdir -p "$logs" "$work/vars"

checks=0
ok() { checks=$((checks + 1)); printf 'ok %2d - %s\n' "$checks" "$*"; }
fail() { printf 'FAIL - %s\n' "$*" >&2; exit 1; }

# vars NAME JSON: writes an extra-vars file (as the platform passes them) and prints its path.
vars() { printf '%s\n' "$2" > "$work/vars/$1.json"; printf '%s' "$work/vars/$1.json"; }

# play LOG PLAYBOOK ARGS...: runs a playbook against localhost, output in $logs/LOG.log.
play() {
  local log=$1 playbook=$2
  shift 2
  ansible-playbook -i "$inventory" "$ansible_dir/playbooks/$playbook" \
    -e tenant_workspace_root="$root" -e tenant_base_domain=tenants.test "$@" >"$logs/$log.log" 2>&1
}
expect_ok() {
  play "$@" || { cat "$logs/$1.log" >&2; fail "$1: ansible-playbook failed"; }
}
# expect_failure LOG MESSAGE PLAYBOOK ARGS...: the run must fail and print MESSAGE.
expect_failure() {
  local log=$1 message=$2
  shift 2
  if play "$log" "$@"; then cat "$logs/$log.log" >&2; fail "$log: the run should have failed"; fi
  grep -qF -- "$message" "$logs/$log.log" || { cat "$logs/$log.log" >&2; fail "$log: no '$message' in the output"; }
}
recap() { grep -E '^localhost +: ' "$logs/$1.log" || fail "$1: no recap"; }
expect_recap() {
  recap "$1" | grep -qE "$2" || fail "$1: recap '$(recap "$1")' does not match '$2'"
}
contains() { grep -qF -- "$2" "$1" || fail "$1 does not contain '$2'"; }
json_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
expect_json() {
  local actual
  actual="$(json_field "$1" "$2")"
  [ "$actual" = "$3" ] || fail "$1: $2 is '$actual', expected '$3'"
}
mode_of() { stat -c '%a' "$1"; }

# --- static checks ------------------------------------------------------------
for playbook in "$ansible_dir"/playbooks/*.yml; do
  ansible-playbook -i "$inventory" --syntax-check "$playbook" >"$logs/syntax.log" 2>&1 \
    || { cat "$logs/syntax.log" >&2; fail "syntax check of $(basename "$playbook")"; }
done
ok "syntax check of every playbook"

(cd "$ansible_dir" && ansible-lint) >"$logs/lint.log" 2>&1 || { cat "$logs/lint.log" >&2; fail "ansible-lint"; }
ok "ansible-lint is clean"

# --- the request is checked before anything is touched ------------------------
acme='"tenant_id": "t-100", "tenant_slug": "acme", "deployment_mode": "dotmac_hosted"'
expect_failure bad-slug "Invalid request" provision_tenant.yml \
  -e "@$(vars bad-slug '{"tenant_id": "t-100", "tenant_slug": "Acme_1", "deployment_mode": "dotmac_hosted", "provisioning_job_id": "j-0"}')"
expect_failure bad-mode "Invalid request" provision_tenant.yml \
  -e "@$(vars bad-mode '{"tenant_id": "t-100", "tenant_slug": "acme", "deployment_mode": "on_prem", "provisioning_job_id": "j-0"}')"
expect_failure no-job-id "Invalid request" provision_tenant.yml -e "@$(vars no-job-id "{$acme}")"
expect_failure wrong-operation "Invalid request" provision_tenant.yml \
  -e "@$(vars wrong-operation "{$acme, \"provisioning_job_id\": \"j-0\", \"operation\": \"upgrade\"}")"
expect_failure upgrade-no-release "release_version is required for an upgrade" upgrade_tenant.yml \
  -e "@$(vars upgrade-no-release "{$acme, \"provisioning_job_id\": \"j-0\"}")"
expect_failure customer-no-profile "connection_profile must be a mapping" provision_tenant.yml \
  -e "@$(vars customer-no-profile '{"tenant_id": "t-300", "tenant_slug": "gamma", "deployment_mode": "customer_hosted", "provisioning_job_id": "j-0"}')"
expect_failure customer-secret "it may not carry secrets" provision_tenant.yml \
  -e "@$(vars customer-secret '{"tenant_id": "t-300", "tenant_slug": "gamma", "deployment_mode": "customer_hosted", "provisioning_job_id": "j-0",
        "connection_profile": {"host": "10.0.0.5", "user": "deploy", "password": "hunter2"}}')"
expect_failure root-slash "tenant_workspace_root must be an absolute directory" decommission_tenant.yml \
  -e "@$(vars root-slash "{$acme, \"provisioning_job_id\": \"j-0\"}")" -e tenant_workspace_root=/
[ ! -e "$root" ] || fail "a refused request created $root"
ok "invalid requests are refused before any target is touched (slug, mode, job id, operation, release, profile, root)"

# --- provision ----------------------------------------------------------------
provision_acme="$(vars provision-acme "{$acme, \"provisioning_job_id\": \"job-1\", \"operation\": \"provision\"}")"
expect_ok provision-1 provision_tenant.yml -e "@$provision_acme" -vvv
expect_recap provision-1 'changed=[1-9][0-9]* .*failed=0'
ws="$root/acme"
[ -d "$ws" ] || fail "no workspace $ws"
[ "$(mode_of "$ws")" = 750 ] || fail "workspace mode is $(mode_of "$ws"), expected 750"
expect_json "$ws/tenant.json" tenant_id t-100
expect_json "$ws/tenant.json" tenant_slug acme
expect_json "$ws/tenant.json" deployment_mode dotmac_hosted
expect_json "$ws/tenant.json" release_version latest
expect_json "$ws/tenant.json" last_provisioning_job_id job-1
contains "$ws/docker-compose.yml" 'name: "tenant-acme"'
contains "$ws/docker-compose.yml" 'image: "dotmac/isp-platform:latest"'
contains "$ws/docker-compose.yml" 'TENANT_ID: "t-100"'
contains "$ws/docker-compose.yml" 'PUBLIC_URL: "https://acme.tenants.test"'
port="$(grep -oE '"127\.0\.0\.1:[0-9]+:8000"' "$ws/docker-compose.yml" | cut -d: -f2)"
[ -n "$port" ] || fail "no published port in the compose file"
contains "$ws/proxy/acme.conf" "server_name acme.tenants.test;"
contains "$ws/proxy/acme.conf" "server 127.0.0.1:$port;"
[ "$(mode_of "$ws/secrets.env")" = 600 ] || fail "secrets.env mode is $(mode_of "$ws/secrets.env"), expected 600"
grep -qE '^POSTGRES_PASSWORD=[0-9a-f]{48}$' "$ws/secrets.env" || fail "secrets.env has no generated POSTGRES_PASSWORD"
grep -qE '^APP_SECRET_KEY=[0-9a-f]{48}$' "$ws/secrets.env" || fail "secrets.env has no generated APP_SECRET_KEY"
expect_json "$ws/provisioning-summary.json" status succeeded
contains "$logs/provision-1.log" '"tenant_url": "https://acme.tenants.test"'
contains "$logs/provision-1.log" '"tenant_admin_url": "https://acme.tenants.test/admin/"'
ok "provision renders the workspace, metadata, compose file, proxy site and secrets with the tenant's values"
ok "set_stats publishes tenant_url, tenant_admin_url and release_version"

acme_secrets="$(cut -d= -f2 "$ws/secrets.env" | sort -u)"
secrets_sum="$(sha256sum <"$ws/secrets.env")"

expect_ok provision-2 provision_tenant.yml -e "@$provision_acme"
expect_recap provision-2 'changed=0 .*failed=0'
[ "$(sha256sum <"$ws/secrets.env")" = "$secrets_sum" ] || fail "the second run changed the secrets"
ok "a second identical provision run reports changed=0 and keeps the secrets"

# --- upgrade ------------------------------------------------------------------
expect_failure upgrade-unknown "was not provisioned" upgrade_tenant.yml \
  -e "@$(vars upgrade-unknown '{"tenant_id": "t-900", "tenant_slug": "nobody", "deployment_mode": "dotmac_hosted", "provisioning_job_id": "job-9", "release_version": "2.1.0"}')"
[ ! -e "$root/nobody" ] || fail "upgrading an unknown tenant created its workspace"
ok "upgrading a tenant that was never provisioned fails and creates nothing"

upgrade_acme="$(vars upgrade-acme "{$acme, \"provisioning_job_id\": \"job-2\", \"operation\": \"upgrade\", \"release_version\": \"2.1.0+build.7\"}")"
expect_ok upgrade-1 upgrade_tenant.yml -e "@$upgrade_acme"
expect_recap upgrade-1 'changed=[1-9][0-9]* .*failed=0'
expect_json "$ws/tenant.json" release_version 2.1.0+build.7
expect_json "$ws/tenant.json" last_operation upgrade
expect_json "$ws/tenant.json" last_provisioning_job_id job-2
contains "$ws/docker-compose.yml" 'image: "dotmac/isp-platform:2.1.0_build.7"'
contains "$logs/upgrade-1.log" '"release_version": "2.1.0+build.7"'
[ "$(sha256sum <"$ws/secrets.env")" = "$secrets_sum" ] || fail "the upgrade changed the secrets"
expect_ok upgrade-2 upgrade_tenant.yml -e "@$upgrade_acme"
expect_recap upgrade-2 'changed=0 .*failed=0'
ok "upgrade records release 2.1.0+build.7 in the metadata and tag 2.1.0_build.7 in the compose file; a second run reports changed=0"

expect_failure slug-taken "belongs to tenant" provision_tenant.yml \
  -e "@$(vars slug-taken '{"tenant_id": "t-999", "tenant_slug": "acme", "deployment_mode": "dotmac_hosted", "provisioning_job_id": "job-x"}')"
expect_json "$ws/tenant.json" tenant_id t-100
ok "a tenant cannot take over another tenant's workspace (same slug)"

# --- callback -----------------------------------------------------------------
token="cb-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
requests="$work/callback-requests.jsonl"
python3 - "$token" "$requests" "$work/callback.port" <<'PY' &
import http.server, json, os, sys
token, record, port_file = sys.argv[1:4]
class Handler(http.server.BaseHTTPRequestHandler):
    seen = 0
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(record, "a") as out:
            out.write(json.dumps({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)}) + "\n")
        Handler.seen += 1  # the first call gets 503, to prove that the role retries
        status = 503 if Handler.seen == 1 else 204 if self.headers.get("Authorization") == "Bearer " + token else 401
        self.send_response(status); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as out: out.write(str(server.server_port))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
PY
server_pid=$!
for _ in $(seq 50); do [ -s "$work/callback.port" ] && break; sleep 0.1; done
[ -s "$work/callback.port" ] || fail "the callback server did not start"
callback_url="http://127.0.0.1:$(cat "$work/callback.port")/api/v1/tenants/t-200/provisioning/jobs/job-b1/callback"

beta="\"tenant_id\": \"t-200\", \"tenant_slug\": \"beta\", \"deployment_mode\": \"dotmac_hosted\", \"provisioning_job_id\": \"job-b1\",
      \"platform_callback_url\": \"$callback_url\", \"awx_job_id\": 4242, \"tenant_callback_delay\": 1"
expect_ok callback provision_tenant.yml -e "@$(vars callback "{$beta, \"platform_callback_token\": \"$token\"}")" -vvv
[ "$(wc -l <"$requests")" -eq 2 ] || fail "expected 2 callback requests (503 then 204), got $(wc -l <"$requests")"
python3 - "$requests" "$token" <<'PY' || fail "the callback request is not what the platform expects"
import json, sys
last = [json.loads(line) for line in open(sys.argv[1])][-1]
headers = {k.lower(): v for k, v in last["headers"].items()}
body = last["body"]
assert last["path"].endswith("/jobs/job-b1/callback"), last["path"]
assert headers["authorization"] == "Bearer " + sys.argv[2], "bearer token"
assert headers["content-type"].startswith("application/json"), headers["content-type"]
assert body["tenant_id"] == "t-200" and body["provisioning_job_id"] == "job-b1", body
assert body["awx_job_id"] == 4242 and body["status"] == "succeeded", body
artifacts = body["artifacts"]
assert artifacts["tenant_url"] == "https://beta.tenants.test", artifacts
assert artifacts["tenant_admin_url"] == "https://beta.tenants.test/admin/", artifacts
assert artifacts["release_version"] == "latest" and artifacts["operation"] == "provision", artifacts
assert set(body) == {"tenant_id", "provisioning_job_id", "awx_job_id", "status", "artifacts"}, sorted(body)
PY
ok "the callback POSTs tenant_id, provisioning_job_id, awx_job_id, status and artifacts with the Bearer token, retrying after a 503"

expect_ok callback-refused provision_tenant.yml -e "@$(vars callback-refused "{$beta, \"platform_callback_token\": \"not-the-token\"}")"
[ "$(wc -l <"$requests")" -eq 3 ] || fail "a 401 answer should not be retried ($(wc -l <"$requests") requests)"
contains "$logs/callback-refused.log" "The platform callback failed (HTTP status 401)"
ok "a refused callback (401) is not retried and does not fail the run"

expect_ok callback-none provision_tenant.yml -e "@$(vars callback-none "{$beta, \"platform_callback_token\": \"\"}")"
[ "$(wc -l <"$requests")" -eq 3 ] || fail "a callback was sent without a token"
ok "no callback is sent without a token"

# --- customer-hosted ----------------------------------------------------------
gamma='"tenant_id": "t-300", "tenant_slug": "gamma", "deployment_mode": "customer_hosted",
       "connection_profile": {"host": "customer.example.net", "port": 2222, "user": "deploy", "credential_ref": "awx-credential-17",
                              "bastion": {"host": "bastion.example.net", "port": 2200, "user": "jump"}}'
expect_ok customer-provision provision_tenant.yml -e "@$(vars customer-provision "{$gamma, \"provisioning_job_id\": \"job-c1\"}")"
expect_json "$root/gamma/tenant.json" deployment_mode customer_hosted
contains "$root/gamma/docker-compose.yml" 'name: "tenant-gamma"'
contains "$root/gamma/proxy/gamma.conf" "server_name gamma.tenants.test;"
expect_ok customer-provision-2 provision_tenant.yml -e "@$(vars customer-provision "{$gamma, \"provisioning_job_id\": \"job-c1\"}")"
expect_recap customer-provision-2 'changed=0 .*failed=0'
ok "customer-hosted provisioning renders the same stack through the shared role, idempotently"

render() {
  ansible-playbook -i localhost, "$ansible_dir/playbooks/render_customer_inventory.yml" \
    -e "@$work/vars/$1.json" -e tenant_inventory_path="$work/$1.yml" >"$logs/$1.log" 2>&1
}
vars render-bastion "{$gamma}" >/dev/null
render render-bastion || { cat "$logs/render-bastion.log" >&2; fail "rendering the customer inventory"; }
[ "$(mode_of "$work/render-bastion.yml")" = 600 ] || fail "the rendered inventory is not mode 600"
ansible-inventory -i "$work/render-bastion.yml" --list >"$work/render-bastion.json"
python3 - "$work/render-bastion.json" <<'PY' || fail "the rendered inventory is wrong"
import json, sys
inv = json.load(open(sys.argv[1]))
assert inv["tenant_targets"]["hosts"] == ["gamma"], inv["tenant_targets"]
host = inv["_meta"]["hostvars"]["gamma"]
assert host["ansible_host"] == "customer.example.net" and host["ansible_port"] == 2222 and host["ansible_user"] == "deploy", host
assert host["ansible_ssh_common_args"] == "-o ProxyJump=jump@bastion.example.net:2200", host
PY
vars render-direct '{"tenant_slug": "delta", "connection_profile": {"host": "2001:db8::7", "user": "ops", "credential_ref": 17}}' >/dev/null
render render-direct || { cat "$logs/render-direct.log" >&2; fail "rendering the customer inventory without bastion"; }
ansible-inventory -i "$work/render-direct.yml" --list >"$work/render-direct.json"
python3 - "$work/render-direct.json" <<'PY' || fail "the rendered inventory (no bastion) is wrong"
import json, sys
host = json.load(open(sys.argv[1]))["_meta"]["hostvars"]["delta"]
assert host == {"ansible_host": "2001:db8::7", "ansible_port": 22, "ansible_user": "ops"}, host
PY
vars render-evil '{"tenant_slug": "evil", "connection_profile": {"host": "h.example.net\n    ansible_connection: local", "user": "{{ lookup(\"pipe\", \"id\") }}"}}' >/dev/null
if render render-evil; then fail "a connection profile with a newline / template was rendered"; fi
contains "$logs/render-evil.log" "connection_profile must be a mapping"
[ ! -e "$work/render-evil.yml" ] || fail "a refused profile left an inventory behind"
ok "the customer inventory is rendered from the connection profile (port, user, ProxyJump bastion, IPv6), hostile values refused"

# --- stack start / stop (a fake `docker compose` that records its calls) --------
fake="$work/fake-compose"
cat >"$fake" <<'SH'
#!/bin/sh
# Records its arguments and working directory; answers like docker compose v2 (on stderr).
echo "$PWD $*" >>"$(dirname "$0")/compose-calls"
case " $* " in
  *" up "*) if [ -e .fake-running ]; then echo " Container x  Running" >&2; else : >.fake-running; echo " Container x  Started" >&2; fi ;;
  *" down "*) echo " Container x  Removed" >&2 ;;
esac
SH
chmod +x "$fake"
epsilon="$(vars epsilon '{"tenant_id": "t-500", "tenant_slug": "epsilon", "deployment_mode": "dotmac_hosted", "provisioning_job_id": "job-e1",
  "tenant_stack_start": true, "tenant_stack_purge_data": true, "tenant_docker_compose_command": ["'"$fake"'"]}')"
expect_ok stack-up-1 provision_tenant.yml -e "@$epsilon"
expect_recap stack-up-1 'changed=[1-9][0-9]* .*failed=0'
[ "$(cat "$work/compose-calls")" = "$root/epsilon --file $root/epsilon/docker-compose.yml up --detach --remove-orphans" ] \
  || fail "unexpected compose call: $(cat "$work/compose-calls")"
expect_ok stack-up-2 provision_tenant.yml -e "@$epsilon"
expect_recap stack-up-2 'changed=0 .*failed=0'
expect_ok stack-down decommission_tenant.yml -e "@$epsilon"
[ "$(tail -n 1 "$work/compose-calls")" = "$root/epsilon --file $root/epsilon/docker-compose.yml down --remove-orphans --volumes" ] \
  || fail "unexpected compose call: $(tail -n 1 "$work/compose-calls")"
[ ! -e "$root/epsilon" ] || fail "the workspace of epsilon is still there"
ok "with tenant_stack_start the stack is started (once: an already running stack is no change) and taken down on decommission"

# --- decommission -------------------------------------------------------------
decommission_acme="$(vars decommission-acme "{$acme, \"provisioning_job_id\": \"job-3\", \"operation\": \"decommission\"}")"
expect_ok decommission-1 decommission_tenant.yml -e "@$decommission_acme"
[ ! -e "$ws" ] || fail "the workspace $ws is still there"
contains "$logs/decommission-1.log" '"operation": "decommission"'
expect_ok decommission-2 decommission_tenant.yml -e "@$decommission_acme"
expect_recap decommission-2 'changed=0 .*failed=0'
[ -d "$root/beta" ] && [ -d "$root/gamma" ] || fail "decommissioning acme touched other tenants"
expect_ok customer-decommission decommission_tenant.yml -e "@$(vars customer-decommission "{$gamma, \"provisioning_job_id\": \"job-c2\"}")"
[ ! -e "$root/gamma" ] || fail "the customer-hosted workspace is still there"
ok "decommission removes the tenant's workspace (both modes), leaves other tenants alone, and is idempotent"

# --- secrets never reach the output -------------------------------------------
for secret in $acme_secrets $token; do
  if grep -rqF -- "$secret" "$logs"; then fail "a secret appears in ansible's output: $(grep -rlF -- "$secret" "$logs")"; fi
done
if grep -rqF -- "$token" "$root"; then fail "the callback token was written into a workspace"; fi
ok "neither the generated secrets nor the callback token appear in ansible's output (also at -vvv)"

printf 'All %d checks passed (%d playbook runs).\n' "$checks" "$(find "$logs" -name '*.log' ! -name syntax.log ! -name lint.log | wc -l)"
