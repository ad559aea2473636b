#!/usr/bin/env bash
# Prints one hash of everything a model is trained from: config.yml, domain.yml, every file under data/
# (NLU, stories, rules, the catalog lookups) and the custom NLU components' code. `make train` keeps it
# beside the model it trained (models/<model>.inputs) and skips training while the newest model's hash is
# the current one. Rasa's own `rasa train --dry-run` answers another question (is every component in
# Rasa's training cache?) and says "retrain" whenever the cache dropped an entry.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  printf '%s\n' config.yml domain.yml
  find data chatecomm_nlu -type f ! -name '*.pyc' ! -path '*/__pycache__/*' | LC_ALL=C sort
} | while IFS= read -r path; do
  printf '%s\0' "$path"
  cat "$path"
done | sha256sum | cut -d' ' -f1
