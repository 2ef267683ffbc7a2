# Copied into each run directory by the provisioning library's local runner (AnsiblePlaybookRunner).
# Writes the run's events as JSON lines: one per play, task start and task result, and the final stats
# (per-host recap and the set_stats custom stats, whose "_run" entry holds the run's artifacts).
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = '''
    name: provisioning_events
    type: notification
    short_description: writes the run's events as JSON lines for the provisioning library
    description:
      - Appends one JSON object per line to the file named by the environment variable
        PROVISIONING_EVENTS_FILE (created with mode 0600); does nothing when it is not set.
      - Records task names, hosts, changed flags, the message of failed and unreachable results,
        and the final stats. Never records module arguments or whole results; results of no_log
        tasks arrive censored from Ansible.
'''

import datetime
import json
import os

from ansible.plugins.callback import CallbackBase

MAX_MESSAGE = 2000


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')


def _text(value):
    if value is None:
        return ''
    if isinstance(value, (list, tuple)):
        return '\n'.join(_text(v) for v in value)
    return value if isinstance(value, str) else str(value)


def _message(result):
    """The most useful single message of a failed or unreachable result."""
    if not isinstance(result, dict):
        return _text(result)
    if 'censored' in result:
        return _text(result['censored'])
    message = _text(result.get('msg')).strip()
    for item in result.get('results') or []:
        # a loop: the first failed item says what went wrong ("One or more items failed" does not)
        if isinstance(item, dict) and (item.get('failed') or item.get('unreachable')):
            item_message = _message(item)
            if item_message:
                message = item_message if not message else message + ': ' + item_message
                break
    stderr = _text(result.get('stderr')).strip()
    if stderr and (not message or message == 'non-zero return code'):
        message = (message + ': ' if message else '') + stderr
    if not message:
        exception = _text(result.get('exception')).strip().splitlines()
        message = exception[-1] if exception else ''
    if 'rc' in result and result.get('rc') not in (None, 0) and 'rc ' not in message:
        message = '%s (rc %s)' % (message, result.get('rc')) if message else 'rc %s' % result.get('rc')
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE - 3] + '...'
    return message


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'notification'
    CALLBACK_NAME = 'provisioning_events'
    CALLBACK_NEEDS_ENABLED = False

    def __init__(self):
        super(CallbackModule, self).__init__()
        path = os.environ.get('PROVISIONING_EVENTS_FILE')
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600) if path else None

    def _emit(self, event, **data):
        if self._fd is None:
            return
        data['event'] = event
        data['time'] = _now()
        line = json.dumps(data, default=_text, sort_keys=True) + '\n'
        os.write(self._fd, line.encode('utf-8', 'replace'))

    def _result(self, event, result, **data):
        task = result._task
        role = task._role.get_name(include_role_fqcn=False) if task._role else None
        self._emit(event, host=result._host.get_name(), task=task.name or task.action, role=role,
                   action=task.action, **data)

    def v2_playbook_on_start(self, playbook):
        self._emit('playbook_start', playbook=os.path.basename(playbook._file_name))

    def v2_playbook_on_play_start(self, play):
        self._emit('play_start', play=play.get_name())

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._emit('task_start', task=task.name or task.action)

    def v2_playbook_on_handler_task_start(self, task):
        self._emit('task_start', task=task.name or task.action, handler=True)

    def v2_runner_on_ok(self, result):
        self._result('ok', result, changed=bool(result._result.get('changed', False)))

    def v2_runner_on_skipped(self, result):
        self._result('skipped', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result('failed', result, ignore_errors=bool(ignore_errors), msg=_message(result._result))

    def v2_runner_on_unreachable(self, result):
        self._result('unreachable', result, msg=_message(result._result))

    def v2_playbook_on_stats(self, stats):
        hosts = dict((host, stats.summarize(host)) for host in sorted(stats.processed.keys()))
        self._emit('stats', hosts=hosts, custom=stats.custom)
