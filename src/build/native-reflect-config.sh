#!/usr/bin/env bash
# Called by the Maven profile `native` (pom.xml) before quarkus:build:
#   native-reflect-config.sh TARGET_CLASSES [CLASSPATH]
# registers classes for reflection in the native image that nothing else registers:
# 1. the application's own classes (target/classes/META-INF/native-image/dev.adapterloop/adapterloop-classes/
#    reflect-config.json). Jackson reads records and beans reflectively outside the REST endpoints (manifests, job
#    records, events, the CLI's --json), and nothing in the code registers them (@RegisterForReflection). Left out:
#    dev.adapterloop.embedded (its Kafka and s3proxy types are not in the native build) and synthetic classes.
# 2. the object-store client's classes, listed from the jars on CLASSPATH (.../adapterloop-libraries/
#    reflect-config.json): the MinIO client (io.minio, no native-image metadata of its own) creates every *Args
#    through its Builder reflectively (getEnclosingClass().getDeclaredConstructors(); the first native train failed
#    with "class io.minio.BucketExistsArgs must have no argument constructor"), and reads and writes its S3 XML
#    messages (io.minio.messages, io.minio.Time) with simple-xml, which reads their annotated fields and
#    constructors, instantiates their @Convert converters and its own label and parameter classes reflectively
#    (org.simpleframework.xml). Listed from the jars rather than by hand so that a MinIO upgrade is covered.
#    Also the service providers listed in DJL's jars (below) and the JDK classes simple-xml creates by name.
set -euo pipefail
classes=${1:?usage: native-reflect-config.sh TARGET_CLASSES [CLASSPATH]}
classpath=${2:-}
out="$classes/META-INF/native-image/dev.adapterloop/adapterloop-classes/reflect-config.json"
libs_out="$classes/META-INF/native-image/dev.adapterloop/adapterloop-libraries/reflect-config.json"
mkdir -p "$(dirname "$out")" "$(dirname "$libs_out")"
ALL='"allDeclaredConstructors": true, "allPublicConstructors": true, "allDeclaredMethods": true, "allPublicMethods": true, "allDeclaredFields": true, "allPublicFields": true, "allDeclaredClasses": true'
# Constructors callable, methods only queried, no fields: what the *Args builders need, without making every method
# of the client (and what they reach) part of the image. Registered static fields would be read at build time: the
# first build with them failed on BaseS3Client.RANDOM (a Random in the image heap).
CTORS='"allDeclaredConstructors": true, "allPublicConstructors": true, "queryAllDeclaredMethods": true, "queryAllPublicMethods": true, "allDeclaredClasses": true'

# Class names (a.b.C, a.b.C$D) from a list of paths a/b/C.class, without lambdas and anonymous classes.
class_names() { grep '\.class$' | grep -v -E '^META-INF/|module-info|package-info' | sed 's/\.class$//; s|/|.|g' \
  | grep -v -E '\$\$|\$[0-9]+($|\$)' | LC_ALL=C sort; }
# entries JSON_FLAGS < names: one reflect-config entry per name, comma-separated
entries() { awk -v flags="$1" 'NR > 1 { printf ",\n" } { printf "  {\"name\": \"%s\", %s}", $0, flags }'; }

names=$(cd "$classes" && find dev/adapterloop -name '*.class' ! -path 'dev/adapterloop/embedded/*' | class_names)
{
  echo "["
  echo "$names" | entries "$ALL"
  # picocli's own mixin and help command, read reflectively when AdapterloopMain answers --help before Quarkus
  # starts (the first native run failed on AutoHelpMixin).
  for n in 'picocli.CommandLine$AutoHelpMixin' 'picocli.CommandLine$HelpCommand'; do
    printf ',\n  {"name": "%s", %s}' "$n" "$ALL"
  done
  echo
  echo "]"
} > "$out"
echo "native-reflect-config: $(echo "$names" | wc -l) classes registered for reflection in $out"

[ -n "$classpath" ] || { echo "native-reflect-config: no CLASSPATH given, libraries not registered"; exit 0; }
# The jar tool of the JDK that runs Maven (unzip is not installed everywhere).
JAR_TOOL=${JAVA_HOME:+$JAVA_HOME/bin/jar}
[ -n "$JAR_TOOL" ] && [ -x "$JAR_TOOL" ] || JAR_TOOL=$(dirname "$(readlink -f "$(command -v java)")")/jar
jar_of() { # jar_of FILE-NAME-PATTERN: the one jar on the classpath whose file name matches, else fails naming it
  local found
  found=$(echo "$classpath" | tr ':' '\n' | grep -E "[/.]$1[^/]*\.jar$" | head -1)
  [ -n "$found" ] && [ -f "$found" ] || {
    echo "native-reflect-config: FAILED: no $1*.jar on the classpath (needed for its reflection registration)" >&2
    exit 1
  }
  echo "$found"
}
minio_jar=$(jar_of 'minio-[0-9]')
simplexml_jar=$(jar_of 'simple-xml-safe-[0-9]')
# io.minio.credentials is left out: the client is given static keys (ObjectStore), and the other providers' static
# state (IamAwsProvider's container addresses) cannot be in the image heap.
minio=$("$JAR_TOOL" tf "$minio_jar" | class_names | grep -v '^io\.minio\.credentials\.')
simplexml=$("$JAR_TOOL" tf "$simplexml_jar" | class_names | grep -v '^org\.simpleframework\.xml\.stream\.Pull')
# simple-xml's XmlPull reader is left out: it needs org.xmlpull, which is not on the classpath (simple-xml-safe reads
# through StAX only).
# The XML messages and the time converter: simple-xml calls their annotated members and callbacks.
minio_xml=$(echo "$minio" | grep -E '^io\.minio\.(messages\.|Time($|\$))')
minio_rest=$(echo "$minio" | grep -v -E '^io\.minio\.(messages\.|Time($|\$))')
# DJL finds its engines and model zoos with ServiceLoader, which in the image needs each provider class registered
# (Quarkus turns GraalVM's service-loader feature off; DJL's jars include their service files as resources but
# register only PtEngineProvider and DefaultZooProvider: the second native train failed with "Provider
# ai.djl.engine.rpc.RpcEngineProvider not found"). Read from the DJL jars' own META-INF/services.
djl_services=$(mktemp -d)
trap 'rm -rf "$djl_services"' EXIT
for jar in $(echo "$classpath" | tr ':' '\n' | grep -E '(/ai/djl/|/ai\.djl\.)[^:]*\.jar$'); do
  mkdir -p "$djl_services/x" && (cd "$djl_services/x" && "$JAR_TOOL" xf "$jar" META-INF/services)
  cat "$djl_services"/x/META-INF/services/ai.djl.* 2>/dev/null >> "$djl_services/providers" || true
  rm -rf "$djl_services/x"
done
djl_providers=$(sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$djl_services/providers" 2>/dev/null | LC_ALL=C sort -u)
[ -n "$djl_providers" ] || { echo "native-reflect-config: FAILED: no DJL service providers found on the classpath" >&2; exit 1; }
{
  echo "["
  { echo "$minio_xml" | entries "$ALL"; echo ","
    echo "$djl_providers" | entries '"methods": [{"name": "<init>", "parameterTypes": []}]'; echo ","
    echo "$minio_rest" | entries "$CTORS"; echo ","
    echo "$simplexml" | entries "$ALL"; }
  # simple-xml creates a collection or map field's value from its declared type's default implementation through
  # the no-argument constructor (CollectionFactory, MapFactory), and reads through the JDK's StAX factory, which
  # XMLInputFactory.newInstance() loads by name.
  for n in java.util.ArrayList java.util.LinkedList java.util.HashMap java.util.LinkedHashMap java.util.TreeMap \
      java.util.HashSet java.util.LinkedHashSet java.util.TreeSet com.sun.xml.internal.stream.XMLInputFactoryImpl; do
    printf ',\n  {"name": "%s", "methods": [{"name": "<init>", "parameterTypes": []}]}' "$n"
  done
  echo
  echo "]"
} > "$libs_out"
echo "native-reflect-config: $(echo "$minio" | wc -l) io.minio, $(echo "$simplexml" | wc -l) simple-xml classes and" \
  "the DJL service providers $(echo $djl_providers) registered for reflection in $libs_out"
