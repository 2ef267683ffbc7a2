#!/usr/bin/env bash
# Tests the Ansible content for real: syntax check, ansible-lint, the list of
# variable names (variables.yml), then provision / re-run / upgrade /
# decommission of tenants on localhost in a temporary workspace, the callback
# against a local HTTP server, privilege escalation (a fake sudo), and the
# rendering of a customer-hosted inventory. Works from any directory.
# Needs ansible-playbook, ansible-inventory, ansible-lint and python3 with PyYAML
# and Jinja2 (/usr/bin/python3 of a Debian ansible-core has both).
set -euo pipefail

ansible_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ANSIBLE_CONFIG="$ansible_dir/ansible.cfg"
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_STDOUT_CALLBACK=default

if [ -x /usr/bin/python3 ]; then py=/usr/bin/python3; else py=python3; fi

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

# play LOG PLAYBOOK ARGS...: runs a playbook against localhost, output in $logs/LOG.log. The
# settings come first, as the runner's fixed extra vars would; no privilege escalation
# (tenant_become=false) unless ARGS say otherwise.
play() {
  local log=$1 playbook=$2
  shift 2
  ansible-playbook -i "$inventory" "$ansible_dir/playbooks/$playbook" \
    -e tenant_workspace_root="$root" -e tenant_base_domain=tenants.test -e tenant_become=false \
    "$@" >"$logs/$log.log" 2>&1
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
json_field() { "$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
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

# variables.yml publishes every name the content uses, so that the provisioning library
# can refuse to let a request set any of them. The check scans role defaults and vars,
# play and inventory vars (settings), register, set_fact, task vars and loop_var
# (internal), and every Jinja expression of the content (what it reads).
cat >"$work/check-variables.py" <<'PY'
import glob, os, sys
import yaml, jinja2, jinja2.meta

root = sys.argv[1]
os.chdir(root)
errors = []

CONTRACT = {"tenant_id", "tenant_slug", "deployment_mode", "operation", "provisioning_job_id", "connection_profile",
            "release_version", "platform_callback_url", "platform_callback_token", "traceparent", "awx_job_id",
            "tower_job_id"}
# Names Ansible or Jinja provide (magic variables, globals): never the content's own.
PROVIDED = {"ansible_managed", "ansible_playbook_python", "groups", "hostvars", "inventory_hostname", "omit",
            "playbook_dir", "role_path", "lookup", "query", "q", "now", "range", "dict", "lipsum", "cycler",
            "joiner", "namespace", "undef"}
CONDITIONS = {"when", "changed_when", "failed_when", "until", "that"}
SET_FACT = {"set_fact", "ansible.builtin.set_fact", "ansible.legacy.set_fact"}
TASK_LISTS = ("pre_tasks", "tasks", "post_tasks", "handlers")
BLOCKS = ("block", "rescue", "always")

def load(path):
    with open(path) as stream:
        return yaml.safe_load(stream)

# --- variables.yml -----------------------------------------------------------
declared = load("variables.yml")
lists = {}
if not isinstance(declared, dict) or set(declared) != {"platform", "settings", "internal"}:
    errors.append("variables.yml must have exactly the keys platform, settings, internal")
else:
    for key, names in declared.items():
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            errors.append(f"variables.yml: {key} must be a list of names")
            continue
        if names != sorted(set(names)):
            errors.append(f"variables.yml: {key} is not sorted or has duplicates")
        lists[key] = set(names)
platform, settings, internal = (lists.get(k, set()) for k in ("platform", "settings", "internal"))
for a, b in (("platform", "settings"), ("platform", "internal"), ("settings", "internal")):
    for name in sorted(lists.get(a, set()) & lists.get(b, set())):
        errors.append(f"variables.yml: {name} is listed under both {a} and {b}")
if platform != CONTRACT:
    errors.append(f"variables.yml: platform must be exactly {sorted(CONTRACT)}")
for name in sorted(settings | internal):
    if not name.startswith("tenant_"):
        errors.append(f"variables.yml: {name} does not start with tenant_")

# --- names the content defines ------------------------------------------------
defined = {"settings": {}, "internal": {}}
def define(kind, name, where):
    defined[kind].setdefault(str(name), set()).add(where)

for path in sorted(glob.glob("roles/*/defaults/*.yml") + glob.glob("roles/*/vars/*.yml")):
    for name in (load(path) or {}):
        define("settings", name, path)

def walk_tasks(tasks, path):
    for task in tasks or []:
        if not isinstance(task, dict):
            continue
        for key in BLOCKS:
            walk_tasks(task.get(key), path)
        if "register" in task:
            define("internal", task["register"], path + " (register)")
        for name in (task.get("vars") or {}):
            define("internal", name, path + " (task vars)")
        loop_var = (task.get("loop_control") or {}).get("loop_var")
        if loop_var:
            define("internal", loop_var, path + " (loop_var)")
        for module in SET_FACT & set(task):
            for name in (task[module] or {}):
                if name != "cacheable":
                    define("internal", name, path + " (set_fact)")

for path in sorted(glob.glob("roles/*/tasks/*.yml") + glob.glob("roles/*/handlers/*.yml")):
    walk_tasks(load(path), path)
for path in sorted(glob.glob("playbooks/*.yml")):
    for play in load(path) or []:
        for name in (play.get("vars") or {}):
            define("settings", name, path + " (play vars)")
        if play.get("vars_files"):
            errors.append(f"{path}: vars_files are not scanned; use role defaults or vars")
        for key in TASK_LISTS:
            walk_tasks(play.get(key), path)
        for role in play.get("roles") or []:
            if isinstance(role, dict) and set(role) - {"role", "name"}:
                errors.append(f"{path}: role parameters are not scanned ({role})")

def walk_inventory(node, path):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("hosts", "vars") and isinstance(value, dict):
                for host_or_var, inner in value.items():
                    if key == "vars":
                        if not str(host_or_var).startswith("ansible_"):
                            define("settings", host_or_var, path + " (inventory)")
                    elif isinstance(inner, dict):
                        for name in inner:
                            if not str(name).startswith("ansible_"):
                                define("settings", name, path + " (inventory)")
            else:
                walk_inventory(value, path)
for path in sorted(glob.glob("inventories/**/*.yml", recursive=True)):
    walk_inventory(load(path), path)

for name, where in sorted(defined["settings"].items()):
    if name in defined["internal"]:
        errors.append(f"{name} is both a setting ({', '.join(sorted(where))}) and set by the roles "
                      f"({', '.join(sorted(defined['internal'][name]))})")
    elif name not in settings and not (name in platform and name in CONTRACT):
        errors.append(f"{name} ({', '.join(sorted(where))}) is missing from variables.yml settings")
for name, where in sorted(defined["internal"].items()):
    if name not in internal:
        errors.append(f"{name} ({', '.join(sorted(where))}) is missing from variables.yml internal")
for name in sorted(settings - set(defined["settings"])):
    errors.append(f"{name} is listed under settings but no default, role var, play var or inventory defines it")
for name in sorted(internal - set(defined["internal"])):
    errors.append(f"{name} is listed under internal but no register, set_fact, task vars or loop_var defines it")

# --- names the content reads (every Jinja expression) -------------------------
class Anything(dict):
    """Filters and tests: parsing needs to know none of them."""
    def __contains__(self, key): return True
    def __getitem__(self, key): return lambda *args, **kwargs: None
    def get(self, key, default=None): return self[key]
env = jinja2.Environment()
env.filters, env.tests = Anything(), Anything()
read = {}
def expression(text, where):
    try:
        tree = env.parse(text)
        names = jinja2.meta.find_undeclared_variables(tree)
    except jinja2.TemplateError as e:
        errors.append(f"{where}: cannot parse {text!r}: {e}")
        return
    # {% set %} names are the template's own, also when set inside an {% if %}.
    names -= {node.name for node in tree.find_all(jinja2.nodes.Name) if node.ctx == "store"}
    for name in names:
        read.setdefault(name, set()).add(where)
def walk_values(node, where, condition=False):
    if isinstance(node, dict):
        for key, value in node.items():
            walk_values(value, where, key in CONDITIONS)
    elif isinstance(node, list):
        for value in node:
            walk_values(value, where, condition)
    elif isinstance(node, str):
        if condition:
            expression("{{ (" + node + ") }}", where)
        elif "{{" in node or "{%" in node:
            expression(node, where)
yaml_files = sorted(glob.glob("roles/*/*/*.yml") + glob.glob("playbooks/*.yml") + glob.glob("inventories/**/*.yml", recursive=True))
for path in yaml_files:
    walk_values(load(path), path)
for path in sorted(glob.glob("roles/*/templates/**/*.j2", recursive=True) + glob.glob("inventories/**/*.j2", recursive=True)):
    with open(path) as stream:
        expression(stream.read(), path)

everything = platform | settings | internal
for name, where in sorted(read.items()):
    if name not in everything and name not in PROVIDED:
        errors.append(f"{name} is read ({', '.join(sorted(where))}) but missing from variables.yml")
for name in sorted(everything - set(read)):
    errors.append(f"{name} is listed in variables.yml but nothing reads it")

for error in errors:
    print(error, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
"$py" "$work/check-variables.py" "$ansible_dir" >"$logs/variables.log" 2>&1 \
  || { cat "$logs/variables.log" >&2; fail "variables.yml does not match the content"; }
ok "variables.yml lists every name the content defines or reads (platform, settings, internal); settings and internal names start with tenant_"

# The check itself: each mutation of a copy of the content must be caught.
# mutant NAME MESSAGE PYTHON: copies the content, applies PYTHON (cwd: the copy), expects MESSAGE.
mutant() {
  local copy="$work/mutant-$1"
  mkdir "$copy"
  (cd "$ansible_dir" && tar --exclude=./tests -cf - .) | tar -xf - -C "$copy"
  (cd "$copy" && "$py" -c "$3") || fail "mutant $1: the mutation failed"
  if "$py" "$work/check-variables.py" "$copy" >"$logs/mutant-$1.log" 2>&1; then fail "mutant $1: the variables check passed"; fi
  grep -qF -- "$2" "$logs/mutant-$1.log" || { cat "$logs/mutant-$1.log" >&2; fail "mutant $1: no '$2' in the output"; }
  rm -rf "$copy"
}
edit='
import sys, yaml
def variables(change):
    data = yaml.safe_load(open("variables.yml"))
    change(data)
    yaml.safe_dump(data, open("variables.yml", "w"))
def append(path, text):
    open(path, "a").write(text)
'
mutant missing "tenant_existing_metadata (roles/tenant_common/tasks/read_metadata.yml (set_fact)) is missing from variables.yml internal" \
  "$edit"'variables(lambda d: d["internal"].remove("tenant_existing_metadata"))'
mutant stale "tenant_retired_setting is listed under settings but no default" \
  "$edit"'variables(lambda d: d["settings"].append("tenant_retired_setting") or d["settings"].sort())'
mutant unprefixed "variables.yml: stack_down does not start with tenant_" \
  "$edit"'variables(lambda d: d["internal"].remove("tenant_stack_down") or d["internal"].append("stack_down") or d["internal"].sort())
path = "roles/tenant_stack/tasks/remove.yml"
open(path, "w").write(open(path).read().replace("tenant_stack_down", "stack_down"))'
mutant new-default "tenant_new_switch (roles/tenant_stack/defaults/main.yml) is missing from variables.yml settings" \
  "$edit"'append("roles/tenant_stack/defaults/main.yml", "tenant_new_switch: false\n")'
mutant new-register "tenant_new_result (roles/tenant_stack/handlers/main.yml (register)) is missing from variables.yml internal" \
  "$edit"'append("roles/tenant_stack/handlers/main.yml", "  register: tenant_new_result\n")'
mutant new-input "customer_note is read (roles/tenant_stack/templates/nginx-site.conf.j2) but missing from variables.yml" \
  "$edit"'append("roles/tenant_stack/templates/nginx-site.conf.j2", "# {{ customer_note | default(\"\") }}\n")'
ok "the variables check catches a missing, a stale, an unprefixed, a new default, a new register and a new input name"

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

# --- settings that reach the rendered files are checked before anything is written ---
# As an inventory or the runner's fixed extra vars could set them (here: -e JSON).
expect_failure hostile-hostname "tenant_public_hostname must be a host name" provision_tenant.yml \
  -e "@$(vars hostile-hostname '{"tenant_id": "t-666", "tenant_slug": "hostile", "deployment_mode": "dotmac_hosted", "provisioning_job_id": "j-0"}')" \
  -e '{"tenant_public_hostname": "x.example.com;\n location /x { alias /etc/; }"}'
[ ! -e "$root" ] || fail "a hostile tenant_public_hostname created $root: $(find "$root")"
expect_failure hostile-settings "tenant_url must start with http:// or https://" provision_tenant.yml \
  -e "@$(vars hostile-settings '{"tenant_id": "t-666", "tenant_slug": "hostile", "deployment_mode": "customer_hosted", "provisioning_job_id": "j-0",
        "connection_profile": {"host": "customer.example.net", "user": "deploy"}}')" \
  -e "@$(vars hostile-settings-values '{"tenant_url": "https://x.example.com\r\nX-Injected: 1", "tenant_http_bind_address": "127.0.0.1:80:80",
        "tenant_http_port": 0, "tenant_app_port": "8000\n", "tenant_proxy_tls_certificate": "cert.pem;", "tenant_compose_project": "Tenant X",
        "tenant_db_name": "db\n", "tenant_db_user": "u;", "tenant_image_repository": "dotmac/isp platform", "tenant_image_tag": "1\nx",
        "tenant_db_image": "postgres:16\nprivileged: true", "tenant_app_env": {"OK": "a\nb"}}')"
for name in tenant_url tenant_http_bind_address tenant_http_port tenant_app_port tenant_proxy_tls_certificate \
            tenant_proxy_tls_certificate_key tenant_compose_project tenant_db_name tenant_db_user tenant_image_repository \
            tenant_image_tag tenant_db_image tenant_app_env; do
  contains "$logs/hostile-settings.log" "(item=$name) => "
  contains "$logs/hostile-settings.log" "\"msg\": \"$name "
done
if grep -qF "(item=tenant_public_hostname) => " "$logs/hostile-settings.log"; then fail "a valid tenant_public_hostname was refused"; fi
expect_failure hostile-env-name "tenant_app_env must be a mapping whose names" provision_tenant.yml \
  -e "@$(vars hostile-env-name '{"tenant_id": "t-666", "tenant_slug": "hostile", "deployment_mode": "dotmac_hosted", "provisioning_job_id": "j-0",
        "tenant_app_env": {"BAD: x\n  privileged": "true"}}')"
[ ! -e "$root" ] || fail "refused settings created $root: $(find "$root")"
ok "settings that reach the nginx site, the compose file or its command (host name, URL, address, ports, TLS paths, names, images, environment) are checked before anything is written; each failure names its variable"

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
expect_json "$ws/tenant.json" state provisioned
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

slug_taken="$(vars slug-taken '{"tenant_id": "t-999", "tenant_slug": "acme", "deployment_mode": "dotmac_hosted", "provisioning_job_id": "job-x"}')"
expect_failure slug-taken "belongs to tenant" provision_tenant.yml -e "@$slug_taken"
expect_json "$ws/tenant.json" tenant_id t-100
expect_failure slug-taken-decommission "belongs to tenant" decommission_tenant.yml -e "@$slug_taken" -e tenant_stack_purge_data=true
[ -f "$ws/proxy/acme.conf" ] && [ -f "$ws/docker-compose.yml" ] && [ -f "$ws/secrets.env" ] \
  || fail "a refused decommission removed acme's files: $(ls -R "$ws")"
ok "a tenant cannot take over or decommission another tenant's workspace (same slug): refused before anything is removed"

# --- callback -----------------------------------------------------------------
token="cb-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
requests="$work/callback-requests.jsonl"
"$py" - "$token" "$requests" "$work/callback.port" <<'PY' &
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
trace="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
expect_ok callback provision_tenant.yml -e "@$(vars callback "{$beta, \"platform_callback_token\": \"$token\", \"traceparent\": \"$trace\"}")" -vvv
[ "$(wc -l <"$requests")" -eq 2 ] || fail "expected 2 callback requests (503 then 204), got $(wc -l <"$requests")"
"$py" - "$requests" "$token" "$trace" <<'PY' || fail "the callback request is not what the platform expects"
import json, sys
last = [json.loads(line) for line in open(sys.argv[1])][-1]
headers = {k.lower(): v for k, v in last["headers"].items()}
body = last["body"]
assert last["path"].endswith("/jobs/job-b1/callback"), last["path"]
assert headers["authorization"] == "Bearer " + sys.argv[2], "bearer token"
assert headers["traceparent"] == sys.argv[3], "the platform's trace context"
assert headers["content-type"].startswith("application/json"), headers["content-type"]
assert body["tenant_id"] == "t-200" and body["provisioning_job_id"] == "job-b1", body
assert body["awx_job_id"] == 4242 and body["status"] == "succeeded", body
artifacts = body["artifacts"]
assert artifacts["tenant_url"] == "https://beta.tenants.test", artifacts
assert artifacts["tenant_admin_url"] == "https://beta.tenants.test/admin/", artifacts
assert artifacts["release_version"] == "latest" and artifacts["operation"] == "provision", artifacts
assert set(body) == {"tenant_id", "provisioning_job_id", "awx_job_id", "status", "artifacts"}, sorted(body)
PY
ok "the callback POSTs tenant_id, provisioning_job_id, awx_job_id, status and artifacts with the Bearer token and the traceparent, retrying after a 503"

expect_ok callback-refused provision_tenant.yml -e "@$(vars callback-refused "{$beta, \"platform_callback_token\": \"not-the-token\", \"traceparent\": \"00-not-a-trace-context\"}")"
"$py" - "$requests" <<'PY' || fail "a malformed traceparent reached the callback's headers"
import json, sys
last = [json.loads(line) for line in open(sys.argv[1])][-1]
assert "traceparent" not in {k.lower() for k in last["headers"]}, last["headers"]
PY
[ "$(wc -l <"$requests")" -eq 3 ] || fail "a 401 answer should not be retried ($(wc -l <"$requests") requests)"
contains "$logs/callback-refused.log" "The platform callback failed (HTTP status 401)"
ok "a refused callback (401) is not retried and does not fail the run; a malformed traceparent is not sent"

expect_ok callback-none provision_tenant.yml -e "@$(vars callback-none "{$beta, \"platform_callback_token\": \"\"}")"
[ "$(wc -l <"$requests")" -eq 3 ] || fail "a callback was sent without a token"
ok "no callback is sent without a token"

# --- privilege escalation (tenant_become) -----------------------------------------
# A fake sudo first in PATH records its calls and runs the command as the current user.
# With become_allow_same_user, Ansible escalates even to the user it already is, so the
# -vvv output shows which tasks escalate: the tasks on the target do (handler included);
# the wait for the customer's server and the callback (from the controller) do not.
mkdir -p "$work/bin"
cat >"$work/bin/sudo" <<'SH'
#!/bin/sh
echo "sudo $*" >>"$(dirname "$0")/sudo-calls"
if [ -e "$(dirname "$0")/sudo-fails" ]; then echo "sudo: a password is required" >&2; exit 1; fi
while [ $# -gt 0 ]; do case $1 in -u|-p|-g|-C) shift 2 ;; -*) shift ;; *) break ;; esac; done
exec "$@"
SH
chmod +x "$work/bin/sudo"
zeta="\"tenant_id\": \"t-210\", \"tenant_slug\": \"zeta\", \"deployment_mode\": \"customer_hosted\", \"provisioning_job_id\": \"job-z1\",
      \"connection_profile\": {\"host\": \"customer.example.net\", \"user\": \"deploy\"},
      \"platform_callback_url\": \"$callback_url\", \"platform_callback_token\": \"$token\""
PATH="$work/bin:$PATH" ANSIBLE_BECOME_ALLOW_SAME_USER=True \
  expect_ok become provision_tenant.yml -e "@$(vars become "{$zeta}")" -e tenant_become=true -e '{"tenant_proxy_reload_command": ["true"]}' -vvv
[ "$(wc -l <"$requests")" -eq 4 ] || fail "the escalated run did not call back"
[ -s "$work/bin/sudo-calls" ] || fail "tenant_become=true did not escalate"
"$py" - "$logs/become.log" <<'PY' || fail "privilege escalation is not where it belongs"
import re, sys
sections = re.split(r"\n(?=TASK \[|RUNNING HANDLER \[)", open(sys.argv[1]).read())
escalated = {}
for section in sections[1:]:
    name = re.match(r"(?:TASK|RUNNING HANDLER) \[(?:[a-z_]+ : )?(.*?)\]", section).group(1)
    if "> EXEC " in section:
        escalated[name] = escalated.get(name, False) or "sudo -H -S -n" in section
must = ["Look for the tenant's metadata", "Create the tenant's workspace", "Write the tenant's metadata",
        "Generate the tenant's secrets once, on the target", "Render the compose file", "Render the reverse-proxy site",
        "Write the run's summary into the tenant's workspace", "Reload the reverse proxy"]
never = ["Wait for the customer's server", "Send the result to the platform"]
for name in must + never:
    assert name in escalated, "no connection for: " + name
    assert escalated[name] == (name in must), name + (" did not escalate" if name in must else " escalated")
PY
ok "with tenant_become the tasks on the target escalate (handler included); the wait for the customer's server and the callback do not"

if [ "$(id -u)" -eq 0 ]; then
  # Root needs no sudo: Ansible does not escalate to the user it already is. This sudo fails.
  : >"$work/bin/sudo-fails"
  rm -f "$work/bin/sudo-calls"
  PATH="$work/bin:$PATH" expect_ok become-root provision_tenant.yml -e tenant_become=true \
    -e "@$(vars become-root '{"tenant_id": "t-220", "tenant_slug": "eta", "deployment_mode": "dotmac_hosted", "provisioning_job_id": "job-h1"}')"
  expect_recap become-root 'changed=[1-9][0-9]* .*failed=0'
  expect_json "$root/eta/tenant.json" tenant_id t-220
  [ ! -e "$work/bin/sudo-calls" ] || fail "running as root, Ansible still called sudo: $(cat "$work/bin/sudo-calls")"
  ok "as root, a provision with tenant_become=true works without sudo"
else
  printf 'skip - a provision with tenant_become=true as root (not running as root)\n'
fi

# --- customer-hosted ----------------------------------------------------------
gamma='"tenant_id": "t-300", "tenant_slug": "gamma", "deployment_mode": "customer_hosted",
       "connection_profile": {"host": "customer.example.net", "port": 2222, "user": "deploy", "credential_ref": "awx-credential-17",
                              "bastion": {"host": "bastion.example.net", "port": 2200, "user": "jump"}}'
customer_provision="$(vars customer-provision "{$gamma, \"provisioning_job_id\": \"job-c1\", \"tenant_http_bind_address\": \"::1\"}")"
expect_ok customer-provision provision_tenant.yml -e "@$customer_provision"
expect_json "$root/gamma/tenant.json" deployment_mode customer_hosted
contains "$root/gamma/docker-compose.yml" 'name: "tenant-gamma"'
contains "$root/gamma/proxy/gamma.conf" "server_name gamma.tenants.test;"
gamma_port="$(grep -oE '"\[::1\]:[0-9]+:8000"' "$root/gamma/docker-compose.yml" | cut -d: -f4)"
[ -n "$gamma_port" ] || fail "no IPv6 published port in gamma's compose file"
contains "$root/gamma/proxy/gamma.conf" "server [::1]:$gamma_port;"
expect_ok customer-provision-2 provision_tenant.yml -e "@$customer_provision"
expect_recap customer-provision-2 'changed=0 .*failed=0'
ok "customer-hosted provisioning renders the same stack through the shared role (IPv6 bind address in brackets), idempotently"

render() {
  ansible-playbook -i localhost, "$ansible_dir/playbooks/render_customer_inventory.yml" \
    -e "@$work/vars/$1.json" -e tenant_inventory_path="$work/$1.yml" >"$logs/$1.log" 2>&1
}
vars render-bastion "{$gamma}" >/dev/null
render render-bastion || { cat "$logs/render-bastion.log" >&2; fail "rendering the customer inventory"; }
[ "$(mode_of "$work/render-bastion.yml")" = 600 ] || fail "the rendered inventory is not mode 600"
ansible-inventory -i "$work/render-bastion.yml" --list >"$work/render-bastion.json"
"$py" - "$work/render-bastion.json" <<'PY' || fail "the rendered inventory is wrong"
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
"$py" - "$work/render-direct.json" <<'PY' || fail "the rendered inventory (no bastion) is wrong"
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
  "tenant_stack_start": true, "tenant_docker_compose_command": ["'"$fake"'"],
  "tenant_proxy_tls_certificate": "/etc/ssl/tenants/epsilon.pem", "tenant_proxy_tls_certificate_key": "/etc/ssl/private/epsilon.key"}')"
expect_ok stack-up-1 provision_tenant.yml -e "@$epsilon"
expect_recap stack-up-1 'changed=[1-9][0-9]* .*failed=0'
[ "$(cat "$work/compose-calls")" = "$root/epsilon --file $root/epsilon/docker-compose.yml up --detach --remove-orphans" ] \
  || fail "unexpected compose call: $(cat "$work/compose-calls")"
contains "$root/epsilon/proxy/epsilon.conf" "ssl_certificate /etc/ssl/tenants/epsilon.pem;"
contains "$root/epsilon/proxy/epsilon.conf" "ssl_certificate_key /etc/ssl/private/epsilon.key;"
expect_ok stack-up-2 provision_tenant.yml -e "@$epsilon"
expect_recap stack-up-2 'changed=0 .*failed=0'
expect_ok stack-down decommission_tenant.yml -e "@$epsilon"
[ "$(tail -n 1 "$work/compose-calls")" = "$root/epsilon --file $root/epsilon/docker-compose.yml down --remove-orphans" ] \
  || fail "unexpected compose call: $(tail -n 1 "$work/compose-calls")"
calls="$(wc -l <"$work/compose-calls")"
expect_ok stack-down-2 decommission_tenant.yml -e "@$epsilon"
expect_recap stack-down-2 'changed=0 .*failed=0'
[ "$(wc -l <"$work/compose-calls")" -eq "$calls" ] || fail "a second decommission called compose again"
expect_ok stack-purge decommission_tenant.yml -e "@$epsilon" -e tenant_stack_purge_data=true
[ "$(tail -n 1 "$work/compose-calls")" = "$root/epsilon --project-name tenant-epsilon down --remove-orphans --volumes" ] \
  || fail "unexpected compose call: $(tail -n 1 "$work/compose-calls")"
[ ! -e "$root/epsilon" ] || fail "the workspace of epsilon is still there"
ok "with tenant_stack_start the stack is started (once), stopped on decommission (volumes kept), and its volumes deleted by a later purge (by project name)"

# --- decommission -------------------------------------------------------------
# Default: the stack goes, the database volume stays, and with it its secrets and tenant.json.
decommission_acme="$(vars decommission-acme "{$acme, \"provisioning_job_id\": \"job-3\", \"operation\": \"decommission\"}")"
expect_ok decommission-1 decommission_tenant.yml -e "@$decommission_acme"
[ "$(cd "$ws" && find . -mindepth 1 | sort | tr '\n' ' ')" = "./secrets.env ./tenant.json " ] \
  || fail "after a decommission that keeps the data, the workspace holds: $(cd "$ws" && find . -mindepth 1 | sort | tr '\n' ' ')"
[ "$(sha256sum <"$ws/secrets.env")" = "$secrets_sum" ] || fail "the decommission changed the secrets"
expect_json "$ws/tenant.json" state decommissioned
expect_json "$ws/tenant.json" data_kept True
expect_json "$ws/tenant.json" tenant_id t-100
expect_json "$ws/tenant.json" last_operation decommission
expect_json "$ws/tenant.json" last_provisioning_job_id job-3
contains "$logs/decommission-1.log" '"operation": "decommission"'
expect_ok decommission-2 decommission_tenant.yml -e "@$decommission_acme"
expect_recap decommission-2 'changed=0 .*failed=0'
[ -d "$root/beta" ] && [ -f "$root/beta/docker-compose.yml" ] && [ -d "$root/gamma" ] || fail "decommissioning acme touched other tenants"
expect_ok customer-decommission decommission_tenant.yml -e "@$(vars customer-decommission "{$gamma, \"provisioning_job_id\": \"job-c2\"}")"
expect_json "$root/gamma/tenant.json" state decommissioned
[ ! -e "$root/gamma/docker-compose.yml" ] && [ ! -e "$root/gamma/proxy" ] && [ -f "$root/gamma/secrets.env" ] \
  || fail "the customer-hosted decommission left $(ls -A "$root/gamma")"
ok "decommission (both modes) removes the stack, proxy site and summary but keeps secrets.env and tenant.json (state decommissioned, data_kept), leaves other tenants alone, and is idempotent"

expect_failure upgrade-decommissioned "was decommissioned" upgrade_tenant.yml -e "@$upgrade_acme"
[ ! -e "$ws/docker-compose.yml" ] || fail "upgrading a decommissioned tenant rendered its stack"
expect_failure slug-reused "belongs to tenant" provision_tenant.yml -e "@$slug_taken"
expect_json "$ws/tenant.json" tenant_id t-100
[ "$(sha256sum <"$ws/secrets.env")" = "$secrets_sum" ] || fail "another tenant's request changed acme's secrets"
ok "a decommissioned tenant cannot be upgraded, and another tenant cannot take its slug (and its kept data)"

expect_ok reprovision provision_tenant.yml -e "@$(vars reprovision "{$acme, \"provisioning_job_id\": \"job-4\"}")"
[ "$(sha256sum <"$ws/secrets.env")" = "$secrets_sum" ] || fail "provisioning acme again changed its kept secrets"
expect_json "$ws/tenant.json" state provisioned
expect_json "$ws/tenant.json" last_provisioning_job_id job-4
"$py" -c 'import json, sys; sys.exit("data_kept" in json.load(open(sys.argv[1])))' "$ws/tenant.json" || fail "tenant.json still says data_kept"
contains "$ws/docker-compose.yml" 'TENANT_ID: "t-100"'
contains "$ws/proxy/acme.conf" "server_name acme.tenants.test;"
ok "the same tenant provisioned again gets its kept secrets back (secrets.env unchanged) and the state provisioned"

expect_ok purge decommission_tenant.yml -e "@$(vars purge "{$acme, \"provisioning_job_id\": \"job-5\"}")" -e tenant_stack_purge_data=true
[ ! -e "$ws" ] || fail "a purge left $ws behind"
expect_ok purge-2 decommission_tenant.yml -e "@$work/vars/purge.json" -e tenant_stack_purge_data=true
expect_recap purge-2 'changed=0 .*failed=0'
expect_ok slug-after-purge provision_tenant.yml -e "@$slug_taken"
expect_json "$ws/tenant.json" tenant_id t-999
[ "$(sha256sum <"$ws/secrets.env")" != "$secrets_sum" ] || fail "the new owner of the slug got the old secrets"
ok "a purge removes the whole workspace (secrets included, idempotently); then another tenant may take the slug, with new secrets"

# A workspace without tenant.json: refused unless empty (nothing proves whose data it is).
mkdir -p "$root/orphan" "$root/fresh"
echo "PG_VERSION 16" >"$root/orphan/leftover"
orphan="$(vars orphan '{"tenant_id": "t-600", "tenant_slug": "orphan", "deployment_mode": "dotmac_hosted", "provisioning_job_id": "job-o1"}')"
expect_failure orphan-provision "is not empty but has no tenant.json" provision_tenant.yml -e "@$orphan"
expect_failure orphan-purge "is not empty but has no tenant.json" decommission_tenant.yml -e "@$orphan" -e tenant_stack_purge_data=true
[ "$(ls -A "$root/orphan")" = leftover ] || fail "a refused request touched $root/orphan: $(ls -A "$root/orphan")"
expect_ok fresh provision_tenant.yml \
  -e "@$(vars fresh '{"tenant_id": "t-700", "tenant_slug": "fresh", "deployment_mode": "dotmac_hosted", "provisioning_job_id": "job-f1"}')"
expect_json "$root/fresh/tenant.json" tenant_id t-700
ok "a non-empty workspace without tenant.json is refused (provision and purge); an empty one is taken"

# --- secrets never reach the output -------------------------------------------
for secret in $acme_secrets $token; do
  if grep -rqF -- "$secret" "$logs"; then fail "a secret appears in ansible's output: $(grep -rlF -- "$secret" "$logs")"; fi
done
if grep -rqF -- "$token" "$root"; then fail "the callback token was written into a workspace"; fi
ok "neither the generated secrets nor the callback token appear in ansible's output (also at -vvv)"

printf 'All %d checks passed (%d playbook runs).\n' "$checks" \
  "$(find "$logs" -name '*.log' ! -name syntax.log ! -name lint.log ! -name variables.log ! -name 'mutant-*' | wc -l)"
