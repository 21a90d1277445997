namespace Bulwark.ScanBench;

/// <summary>Everything one run of the tool measured, with what the machine was doing (figures from a busy machine are inflated).</summary>
internal sealed record BenchReport
{
    public required DateTimeOffset StartedAt { get; init; }

    public required string Runtime { get; init; }

    public required int ProcessorCount { get; init; }

    public double? LoadAverageAtStart { get; init; }

    public double? LoadAverageAtEnd { get; set; }

    /// <summary>True when each phase's peak working set is its own (Linux <c>clear_refs</c>); false: the process's peak so far.</summary>
    public required bool PeakWorkingSetPerPhase { get; init; }

    public IReadOnlyList<ImportFigures> Import { get; set; } = [];

    public ScanFigures? Scan { get; set; }

    public IReadOnlyList<RematchFigures> Rematch { get; set; } = [];
}

/// <summary>One source imported into a fresh advisory database by the code of <c>bulwark db update</c>.</summary>
internal sealed record ImportFigures(string Source, string File, int Advisories, int Packages, int Rejected, double Milliseconds, double PeakWorkingSetMiB);

/// <summary>The full scan of the root filesystem: the CLI's command in-process, its parts, and the real process.</summary>
internal sealed record ScanFigures
{
    public required string RootFs { get; init; }

    public required int Packages { get; init; }

    public required int Findings { get; init; }

    public required int Advisories { get; init; }

    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary><c>bulwark scan dir:ROOTFS --skip-db-update --format json</c> through the CLI's own command object, in this process.</summary>
    public required Timings Command { get; init; }

    /// <summary>Image analysis alone (<c>ImageAnalyzer</c> on <c>dir:ROOTFS</c>).</summary>
    public required Timings Analysis { get; init; }

    /// <summary>Matching alone (<c>InventoryScanner.ScanAsync</c> on the analysed inventory, database open).</summary>
    public required Timings Matching { get; init; }

    /// <summary>The real <c>bulwark</c> process from the build output (<c>dotnet bulwark.dll</c>, as <c>dotnet run</c>), start to exit; null when not run.</summary>
    public Timings? Process { get; init; }

    /// <summary>The published CLI (ReadyToRun, the README's install command, or <c>--bulwark</c>), start to exit; null when not run.</summary>
    public Timings? PublishedProcess { get; init; }

    public required double PeakWorkingSetMiB { get; init; }

    public double TargetMs { get; init; } = 1000;
}

/// <summary>Stored inventories re-matched after an advisory update with the server's <c>InventoryRematcher</c>.</summary>
internal sealed record RematchFigures
{
    /// <summary>A digest of every stored finding after the re-match (to compare two builds' findings), with the row count.</summary>
    public string? FindingsSha256 { get; init; }

    public required string Database { get; init; }

    public required int Images { get; init; }

    public required long Packages { get; init; }

    public required int LanguagePackages { get; init; }

    public required double StoredInventoryMiB { get; init; }

    public required int AdvisoriesBefore { get; init; }

    public required int AdvisoriesAfter { get; init; }

    /// <summary>Analysis-free scan and store of every inventory before the update, as scan-on-push stores them.</summary>
    public required double StoreMs { get; init; }

    public required int FindingsBefore { get; init; }

    /// <summary>Re-import of the full archives (the update).</summary>
    public required double UpdateImportMs { get; init; }

    public required double RematchMs { get; init; }

    /// <summary>CPU time of the whole process (every thread) during the re-match: what a busy machine does not inflate.</summary>
    public required double RematchCpuMs { get; init; }

    /// <summary>Managed bytes allocated during the re-match.</summary>
    public required double RematchAllocatedMiB { get; init; }

    /// <summary>The one-minute load average before the re-match.</summary>
    public double? LoadAverageBefore { get; init; }

    /// <summary>The one-minute load average after the re-match.</summary>
    public double? LoadAverageAfter { get; init; }

    public required int RematchedImages { get; init; }

    /// <summary>Images the update could not change, skipped by the re-match.</summary>
    public required int UnaffectedImages { get; init; }

    /// <summary>Re-matched images whose outcome was the stored one (nothing written but their match time).</summary>
    public required int UnchangedImages { get; init; }

    /// <summary>Whether the matching inputs and outcome hashes were dropped before the update (<c>--as-upgraded</c>).</summary>
    public bool AsUpgraded { get; init; }

    /// <summary>The working set when the re-match started (what earlier phases left: the peak cannot be below it).</summary>
    public double StartWorkingSetMiB { get; init; }

    /// <summary>Package keys the update changed (null: unknown, every image re-matched).</summary>
    public int? ChangedPackages { get; init; }

    public required int NewFindings { get; init; }

    public required int Failed { get; init; }

    public required double PeakWorkingSetMiB { get; init; }

    public double TargetMs { get; init; } = 10_000;
}
