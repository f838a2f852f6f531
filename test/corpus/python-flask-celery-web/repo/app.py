from flask import Flask, jsonify

from tasks import render_report

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.post("/reports/<int:report_id>")
def enqueue(report_id):
    # The broker is needed only when a report is asked for, not to start.
    result = render_report.delay(report_id)
    return jsonify(task=result.id), 202
