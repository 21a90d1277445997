namespace Bulwark.Analysis.Packages.Dpkg;

/// <summary>One installed package as dpkg's status database records it.</summary>
public sealed record DpkgPackageRecord(string Name, string Version, string? Architecture, string SourceName, string SourceVersion);
