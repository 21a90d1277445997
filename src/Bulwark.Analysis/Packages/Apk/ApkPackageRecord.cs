namespace Bulwark.Analysis.Packages.Apk;

/// <summary>One package of the apk installed database.</summary>
public sealed record ApkPackageRecord(string Name, string Version, string? Architecture, string? Origin, string? License, IReadOnlyList<string> Files);
