using BenchmarkDotNet.Running;

// Pick benchmarks with --filter, e.g. --filter '*Digest*' --job short; with no arguments it asks interactively.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
