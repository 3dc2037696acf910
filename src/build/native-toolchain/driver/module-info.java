module org.graalvm.nativeimage.driver {
    requires org.graalvm.nativeimage.builder;
    requires java.management;
    requires jdk.jfr;
    requires org.graalvm.nativeimage.configure;
    requires jdk.management;
    requires jdk.graal.compiler;
    requires org.graalvm.collections;
    exports com.oracle.svm.driver;
    exports com.oracle.svm.driver.metainf;
    uses jdk.graal.compiler.options.OptionDescriptors;
}
