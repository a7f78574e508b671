import base64
import re

from django.core.files.uploadedfile import SimpleUploadedFile

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG_1PX, content_type="image/png")


def without_csrf(html: bytes) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
