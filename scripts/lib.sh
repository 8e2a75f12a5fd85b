# Shared by the scripts in this folder: find a JDK 21 or newer and export JAVA_HOME for the Maven Wrapper.

java_feature_version() {
  "$1/bin/java" -version 2>&1 | sed -nE '1s/.*version "([0-9]+).*/\1/p'
}

use_jdk_21_or_newer() {
  local candidates=() home v best="" best_v=0
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$home")
    # Distributions install JDKs side by side (/usr/lib/jvm/*): look beside the default one too.
    for home in "$(dirname "$home")"/*/ "$(dirname "$(dirname "$home")")"/*/; do candidates+=("${home%/}"); done
  fi
  for home in /usr/lib/jvm/*/ /Library/Java/JavaVirtualMachines/*/Contents/Home/; do candidates+=("${home%/}"); done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/javac" ] || continue
    v=$(java_feature_version "$home")
    [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ] && { best=$home; best_v=$v; }
  done
  if [ -z "$best" ]; then
    echo "This build needs a JDK 21 or newer (Jenkins 2.555 runs on Java 21 and 25). Install one, or set JAVA_HOME." >&2
    exit 1
  fi
  export JAVA_HOME=$best
}
