# IndentLab as one container: the README's start command on a slim Python 3.11 image.
# Build and run (deploy/README.md):
#   docker build -t indentlab .
#   docker run --rm -p 8501:8501 indentlab      # then open http://localhost:8501
FROM python:3.11-slim

# A container never edits its code: no file watcher (saves inotify handles and CPU).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none

# The app runs as an unprivileged user; the code stays owned by root (read-only to it).
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin indentlab

WORKDIR /app
# Requirements first, so that a code change does not reinstall them (layer cache).
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .

USER indentlab
EXPOSE 8501

# Streamlit answers "ok" on /_stcore/health once the server is up (no curl in slim images).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4); sys.exit(0 if r.read() == b'ok' else 1)"]

CMD ["streamlit", "run", "streamlit_app.py", "--server.address", "0.0.0.0", "--server.port", "8501", "--server.headless", "true"]
