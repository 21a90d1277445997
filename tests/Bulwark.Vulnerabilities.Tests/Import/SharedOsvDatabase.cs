using System.Diagnostics;
using Bulwark.Vulnerabilities.Import;
using Bulwark.Vulnerabilities.Tests.Advisories;

namespace Bulwark.Vulnerabilities.Tests.Import;

/// <summary>One database with the three shared OSV archives imported, for the tests that match real advisories.</summary>
public sealed class SharedOsvDatabase : IAsyncLifetime
{
    private AdvisoryDatabase? _database;

    internal AdvisoryDatabase Database => _database ?? throw new InvalidOperationException("not initialized");

    public Dictionary<string, AdvisoryImportResult> Results { get; } = [];

    public TimeSpan Total { get; private set; }

    public async Task InitializeAsync()
    {
        _database = await AdvisoryDatabase.CreateAsync();
        var importer = _database.Importer();
        var stopwatch = Stopwatch.StartNew();
        foreach (var ecosystem in new[] { "crates.io", "PyPI", "Go" })
        {
            Results[ecosystem] = await importer.ImportOsvAsync("osv:" + ecosystem, SharedData.Osv(ecosystem), null, CancellationToken.None);
        }

        Total = stopwatch.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
