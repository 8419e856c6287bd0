"""Code that runs inside the Rasa server process (Rasa's own extension points), under
.venv-rasa. The service never imports it; it never imports the service."""
