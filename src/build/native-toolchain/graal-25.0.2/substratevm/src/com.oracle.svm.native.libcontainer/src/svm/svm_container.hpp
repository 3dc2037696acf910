/*
 * Copyright (c) 2024, 2024, Oracle and/or its affiliates. All rights reserved.
 * DO NOT ALTER OR REMOVE COPYRIGHT NOTICES OR THIS FILE HEADER.
 *
 * This code is free software; you can redistribute it and/or modify it
 * under the terms of the GNU General Public License version 2 only, as
 * published by the Free Software Foundation. Oracle designates this
 * particular file as subject to the "Classpath" exception as provided
 * by Oracle in the LICENSE file that accompanied this code.
 *
 * This code is distributed in the hope that it will be useful, but WITHOUT
 * ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or
 * FITNESS FOR A PARTICULAR PURPOSE.  See the GNU General Public License
 * version 2 for more details (a copy is included in the LICENSE file that
 * accompanied this code).
 *
 * You should have received a copy of the GNU General Public License version
 * 2 along with this work; if not, write to the Free Software Foundation,
 * Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301 USA.
 *
 * Please contact Oracle, 500 Oracle Parkway, Redwood Shores, CA 94065 USA
 * or visit www.oracle.com if you need additional information or have any
 * questions.
 */

#ifndef SVM_CONTAINER_HPP
#define SVM_CONTAINER_HPP

#include "jni_md.h"

#ifndef EXPORT_FOR_SVM
  #if (defined(__GNUC__) && ((__GNUC__ > 4) || (__GNUC__ == 4) && (__GNUC_MINOR__ > 2))) || __has_attribute(visibility)
    #ifdef ARM
      #define EXPORT_FOR_SVM     __attribute__((externally_visible,visibility("default")))
    #else
      #define EXPORT_FOR_SVM     __attribute__((visibility("default")))
    #endif
  #else
    #define EXPORT_FOR_SVM
  #endif
#endif


namespace svm_container {

extern "C" {
  EXPORT_FOR_SVM int svm_container_initialize(int version);
  EXPORT_FOR_SVM jlong svm_container_physical_memory();
  EXPORT_FOR_SVM jlong svm_container_memory_limit_in_bytes();
  EXPORT_FOR_SVM jlong svm_container_memory_and_swap_limit_in_bytes();
  EXPORT_FOR_SVM jlong svm_container_memory_soft_limit_in_bytes();
  EXPORT_FOR_SVM jlong svm_container_memory_usage_in_bytes();
  EXPORT_FOR_SVM jlong svm_container_memory_max_usage_in_bytes();
  EXPORT_FOR_SVM jlong svm_container_rss_usage_in_bytes();
  EXPORT_FOR_SVM jlong svm_container_cache_usage_in_bytes();
  EXPORT_FOR_SVM int svm_container_active_processor_count();
}


} // namespace svm_container

#endif // SVM_CONTAINER_HPP
