# The seed guide's Lambda (section 6), verbatim: the baseline that `npm run bench` measures.
import os
import json
import time
from urllib import request, error

RETRYABLE = {408, 429, 500, 502, 503, 504}

# 경보명 → 주제명 매핑
SUBJECT_MAP = {
    "root-alert": "root 계정",
}


def _post(url, payload, timeout=5.0):
    data = json.dumps(payload).encode("utf-8")
    req = request.Request(
        url,
        data=data,
        headers={"content-type": "application/json"},
        method="POST",
    )
    return request.urlopen(req, timeout=timeout)


def _post_with_retry(url, payload, max_attempts=3, base_delay=0.8):
    last = None
    for i in range(max_attempts):
        try:
            resp = _post(url, payload)
            code = resp.getcode()
            body = resp.read().decode("utf-8", "ignore")
            # 재시도 대상이 아니면 그대로 반환
            if code < 400 or code not in RETRYABLE:
                return code, body
        except error.HTTPError as e:
            code = e.code
            body = e.read().decode("utf-8", "ignore")
            if code not in RETRYABLE:
                return code, body
            last = e
        except Exception as e:
            last = e
        time.sleep(base_delay * (2 ** i))
    raise last or RuntimeError("webhook failed")


def _subject_from_alarm_name(name: str) -> str:
    return SUBJECT_MAP.get(name, name or "알 수 없는 주제")


def _handle_sns_alarm(event: dict):
    """
    CloudWatch Alarm → SNS → Lambda 패턴 처리
    """
    records = event.get("Records")
    if not records:
        return None

    rec = records[0]
    if rec.get("EventSource") != "aws:sns":
        return None

    sns = rec.get("Sns", {}) or {}
    msg = sns.get("Message", "")
    alarm_name = None
    new_state = None

    # CloudWatch → SNS 표준 메시지는 JSON 문자열인 경우가 많음
    try:
        obj = json.loads(msg)
        alarm_name = obj.get("AlarmName") or obj.get("alarmName")
        new_state = obj.get("NewStateValue") or obj.get("state", {}).get("value")
    except Exception:
        # JSON 파싱 실패 시에는 Subject 활용
        pass

    # ALARM 상태가 아닐 경우 무시
    if new_state and new_state != "ALARM":
        return None

    if not alarm_name:
        alarm_name = sns.get("Subject") or "unknown"

    subject = _subject_from_alarm_name(alarm_name)
    return f"{subject} 경보 발생하였습니다"


def lambda_handler(event, context):
    hook = os.getenv("DOORAY_HOOK_URL")
    if not hook:
        print("환경변수 DOORAY_HOOK_URL 미설정")
        return {"statusCode": 500, "body": "DOORAY_HOOK_URL not set"}

    text = _handle_sns_alarm(event)

    if text is None:
        print("ignored event:", json.dumps(event)[:1000])
        return {"statusCode": 200, "body": "ignored"}

    payload = {
        "text": text,
        "botName": os.getenv("DEFAULT_BOT_NAME", "AlarmBot"),
    }
    icon = os.getenv("DEFAULT_BOT_ICON")
    if icon:
        payload["botIconImage"] = icon

    try:
        code, body = _post_with_retry(hook, payload)
        print("Dooray webhook response:", code, body[:200])
        return {"statusCode": code, "body": body}
    except Exception as e:
        print("Dooray webhook error:", repr(e))
        return {"statusCode": 502, "body": f"webhook error: {e}"}
