"""The design Storefront Sync replaces, as the FastAPI tutorial builds it: the webhook handler
verifies the Shopify HMAC and answers. It stores nothing, so anything that fails after the 200 is
lost. Benchmarked side by side with the gateway (bench/run-all.sh) as the naive peer.

Run: SHOPIFY_API_SECRET=... /usr/bin/python3 -m uvicorn app:app --app-dir bench/naive-fastapi --port 8095
"""
import base64
import hashlib
import hmac
import os

from fastapi import FastAPI, Request, Response

app = FastAPI()
SECRET = os.environ["SHOPIFY_API_SECRET"].encode()


@app.post("/shopify/webhook")
async def shopify_webhook(request: Request) -> Response:
    body = await request.body()
    expected = base64.b64encode(hmac.new(SECRET, body, hashlib.sha256).digest()).decode()
    if not hmac.compare_digest(expected, request.headers.get("x-shopify-hmac-sha256", "")):
        return Response(status_code=401)
    return Response(status_code=200)
