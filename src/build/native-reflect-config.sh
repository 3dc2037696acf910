#!/usr/bin/env bash
# Called by the Maven profile `native` (pom.xml) before quarkus:build: registers the application's own classes for
# reflection in the native image (target/classes/META-INF/native-image/dev.adapterloop/adapterloop-classes/
# reflect-config.json). Jackson reads records and beans reflectively outside the REST endpoints (manifests, job
# records, events, the CLI's --json), and nothing in the code registers them (@RegisterForReflection). Left out:
# dev.adapterloop.embedded (its Kafka and s3proxy types are not in the native build) and synthetic classes.
set -euo pipefail
classes=${1:?usage: native-reflect-config.sh TARGET_CLASSES}
out="$classes/META-INF/native-image/dev.adapterloop/adapterloop-classes/reflect-config.json"
mkdir -p "$(dirname "$out")"
names=$(cd "$classes" && find dev/adapterloop -name '*.class' ! -path 'dev/adapterloop/embedded/*' \
  | sed 's/\.class$//; s|/|.|g' | grep -v -E '\$\$|\$[0-9]+($|\$)' | LC_ALL=C sort)
{
  echo "["
  first=1
  for n in $names; do
    [ $first = 1 ] || echo ","
    first=0
    printf '  {"name": "%s", "allDeclaredConstructors": true, "allPublicConstructors": true, "allDeclaredMethods": true, "allPublicMethods": true, "allDeclaredFields": true, "allPublicFields": true}' "$n"
  done
  # picocli's own mixin and help command, read reflectively when AdapterloopMain answers --help before Quarkus
  # starts (the first native run failed on AutoHelpMixin).
  for n in 'picocli.CommandLine$AutoHelpMixin' 'picocli.CommandLine$HelpCommand'; do
    printf ',\n  {"name": "%s", "allDeclaredConstructors": true, "allPublicConstructors": true, "allDeclaredMethods": true, "allPublicMethods": true, "allDeclaredFields": true, "allPublicFields": true}' "$n"
  done
  echo
  echo "]"
} > "$out"
echo "native-reflect-config: $(echo "$names" | wc -l) classes registered for reflection in $out"
