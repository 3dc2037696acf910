package dev.adapterloop.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the bucket is: {@code adapterloop.s3.*}. The endpoint, access key and secret key are set by the embedded S3
 * server when none is configured; in production they come from the environment or a Kubernetes secret.
 */
@ConfigMapping(prefix = "adapterloop.s3")
public interface S3Config {

    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("adapterloop")
    String bucket();

    @WithDefault("us-east-1")
    String region();
}
