namespace Bulwark.Vulnerabilities.Import;

/// <summary>A progress report: bytes while downloading, records while importing.</summary>
public sealed record ImportProgress(string Source, ImportStage Stage, long Done, long? Total);
