/*
 * Stand-ins for the JDK's static libraries (lib<x>.a), which Temurin does not ship. assemble.sh compiles this file
 * once per JDK library x with -DLIB=x into shim_x.o and writes lib<x>.a as a linker script
 * "INPUT(<jdk>/lib/lib<x>.so shim_x.o)": the native image then links Temurin's own shared library, and this object
 * supplies what GraalVM expects from a statically linked JDK library:
 *
 *  - JNI_OnLoad_<x>: GraalVM calls it for each "built-in" JDK library. It forwards to the shared library's own
 *    JNI_OnLoad (when it has one) and reports JNI 1.8: GraalVM rejects the 1.2 (0x10002) that libjava's JNI_OnLoad
 *    returns ("Unsupported JNI version 0x10002").
 *  - findJavaTZ_md (libjava only): GraalVM's libchelper calls it to name the platform time zone; in a JDK it lives
 *    in libjava's TimeZone_md.c, hidden from the shared library's exports. This is the project's own shorter
 *    version of the same look-up: TZ, then /etc/timezone, then the /etc/localtime link; NULL lets the JDK fall back
 *    to a GMT offset.
 *
 * Part of the adapterloop build (src/build/native-toolchain/README.md).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LIB
#error "compile with -DLIB=<jdk library name>"
#endif
#define STR2(x) #x
#define STR(x) STR2(x)
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

typedef jint (*on_load_fn)(JavaVM *, void *);

JNIEXPORT jint JNICALL CAT(JNI_OnLoad_, LIB)(JavaVM *vm, void *reserved) {
    const char *so = "lib" STR(LIB) ".so";
    void *handle = dlopen(so, RTLD_LAZY | RTLD_NOLOAD);
    if (handle != NULL) {
        void *sym = dlsym(handle, "JNI_OnLoad");
        Dl_info info;
        /* dlsym also searches the library's dependencies: only call a JNI_OnLoad that is this library's own. */
        if (sym != NULL && dladdr(sym, &info) != 0 && info.dli_fname != NULL) {
            const char *base = strrchr(info.dli_fname, '/');
            base = base == NULL ? info.dli_fname : base + 1;
            if (strcmp(base, so) == 0) {
                jint version = ((on_load_fn) sym)(vm, reserved);
                if (version < 0) {
                    return version;
                }
            }
        }
    }
    return JNI_VERSION_1_8;
}

#ifdef WITH_FIND_JAVA_TZ
static char *zone_from_path(const char *path) {
    const char *p = strstr(path, "zoneinfo/");
    return p == NULL ? NULL : strdup(p + strlen("zoneinfo/"));
}

JNIEXPORT char *findJavaTZ_md(const char *java_home_dir) {
    (void) java_home_dir;
    const char *tz = getenv("TZ");
    if (tz != NULL && *tz != '\0') {
        if (*tz == ':') {
            tz++;
        }
        if (*tz == '/') {
            return zone_from_path(tz);
        }
        if (strncmp(tz, "posix/", 6) == 0 || strncmp(tz, "right/", 6) == 0) {
            tz += 6;
        }
        return strdup(tz);
    }
    FILE *f = fopen("/etc/timezone", "r");
    if (f != NULL) {
        char line[256];
        char *got = fgets(line, sizeof(line), f);
        fclose(f);
        if (got != NULL) {
            line[strcspn(line, " \t\r\n")] = '\0';
            if (line[0] != '\0') {
                return strdup(line);
            }
        }
    }
    char target[PATH_MAX];
    ssize_t n = readlink("/etc/localtime", target, sizeof(target) - 1);
    if (n > 0) {
        target[n] = '\0';
        return zone_from_path(target);
    }
    return NULL;
}
#endif
