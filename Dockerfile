# The whole stack of ras-e2e in one image: pcscd + vsmartcard's vpcd, Debian's Chromium (headless shell and
# full), Node (Allure 3) and the Python venv — installed by the same scripts/setup.sh a developer runs.
# Build: docker build -t ras-e2e .      Run one shard: docker run --rm -v "$PWD/reports:/ras-e2e/reports" ras-e2e make e2e SHARD=1/2
# The container runs as root (pcscd owns /run/pcscd); nothing listens beyond its loopback.
# Debian bookworm (the Debian packages setup.sh installs) with Node 20 (Allure 3 needs Node 20+; bookworm has 18).
FROM node:20-bookworm-slim

ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 PIP_DISABLE_PIP_VERSION_CHECK=1
# What setup.sh itself needs before it can install the rest: Python, venv, a compiler for pyscard.
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends python3 python3-venv python3-dev build-essential \
      make git ca-certificates procps \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /ras-e2e
# Dependencies first (cached layer): the Debian packages, the venv from pyproject.toml, Allure from package.json.
COPY pyproject.toml package.json package-lock.json* ./
COPY scripts/setup.sh scripts/setup.sh
RUN mkdir -p virtual_card jpki_client portal_mock usability ras_e2e secret_scrub \
 && for p in virtual_card jpki_client portal_mock usability ras_e2e secret_scrub; do touch $p/__init__.py; done \
 && bash scripts/setup.sh \
 && rm -rf /var/lib/apt/lists/*
# The project itself; setup.sh again is quick (every layer present) and re-links the editable install.
COPY . .
RUN bash scripts/setup.sh

CMD ["make", "e2e"]
