package dev.adapterloop.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h/--help} alone, for commands whose {@code --version} names an adapter version: picocli's standard help
 * mixin would also bring {@code -V/--version} and, with the name taken, leave out the help option too.
 */
public class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
