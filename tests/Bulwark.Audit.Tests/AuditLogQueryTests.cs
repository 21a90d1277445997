using Bulwark.Audit.Records;
using Microsoft.Data.Sqlite;

namespace Bulwark.Audit.Tests;

public sealed class AuditLogQueryTests
{
    private static async Task<AuditHarness> SeededAsync()
    {
        var harness = await AuditHarness.CreateAsync();
        for (var i = 0; i < 30; i++)
        {
            var actor = i % 3 == 0 ? "bob" : "alice";
            var action = i % 2 == 0 ? AuditActions.RegistryPush : AuditActions.AuthLogin;
            var outcome = i % 5 == 0 ? AuditOutcome.Denied : AuditOutcome.Success;
            await harness.Log.AppendAsync(AuditHarness.Event(i, actor, action, outcome, target: i % 4 == 0 ? "team-b/db:1" : null), CancellationToken.None);
            harness.Time.Advance(TimeSpan.FromMinutes(1));
        }

        return harness;
    }

    private static async Task<List<long>> AllPagesAsync(IAuditLog log, AuditQuery query)
    {
        var sequences = new List<long>();
        long? cursor = null;
        var pages = 0;
        do
        {
            var page = await log.QueryAsync(query with { Cursor = cursor }, CancellationToken.None);
            Assert.True(page.Records.Count <= query.Limit);
            sequences.AddRange(page.Records.Select(r => r.Sequence));
            cursor = page.NextCursor;
            Assert.True(++pages < 100);
        }
        while (cursor is not null);
        return sequences;
    }

    [Fact]
    public async Task QueryAsync_NoFilter_NewestFirstPagesCoverEverythingOnce()
    {
        await using var harness = await SeededAsync();
        var sequences = await AllPagesAsync(harness.Log, new AuditQuery { Limit = 7 });
        Assert.Equal(Enumerable.Range(1, 30).Reverse().Select(i => (long)i), sequences);
    }

    [Fact]
    public async Task QueryAsync_OldestFirst_AscendingPages()
    {
        await using var harness = await SeededAsync();
        var sequences = await AllPagesAsync(harness.Log, new AuditQuery { Limit = 4, Order = AuditOrder.OldestFirst });
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), sequences);
    }

    [Fact]
    public async Task QueryAsync_Filters_MatchExactlyTheSeededRecords()
    {
        await using var harness = await SeededAsync();
        static List<long> Expect(Func<int, bool> predicate) =>
            Enumerable.Range(0, 30).Where(predicate).Select(i => (long)i + 1).Reverse().ToList();

        Assert.Equal(Expect(i => i % 3 == 0), await AllPagesAsync(harness.Log, new AuditQuery { ActorId = "bob", Limit = 3 }));
        Assert.Equal(Expect(i => i % 2 == 1), await AllPagesAsync(harness.Log, new AuditQuery { Action = AuditActions.AuthLogin, Limit = 5 }));
        Assert.Equal(Expect(i => i % 5 == 0), await AllPagesAsync(harness.Log, new AuditQuery { Outcome = AuditOutcome.Denied, Limit = 2 }));
        Assert.Equal(Expect(i => i % 4 == 0), await AllPagesAsync(harness.Log, new AuditQuery { Target = "team-b/db:1", Limit = 2 }));
        Assert.Equal(Expect(i => i is >= 10 and < 20), await AllPagesAsync(harness.Log, new AuditQuery
        {
            From = AuditHarness.Start.AddMinutes(10),
            To = AuditHarness.Start.AddMinutes(20),
            Limit = 3,
        }));
        Assert.Equal(Expect(i => i % 3 == 0 && i % 2 == 0 && i % 5 == 0), await AllPagesAsync(harness.Log, new AuditQuery
        {
            ActorId = "bob",
            ActorKind = AuditActorKind.User,
            Action = AuditActions.RegistryPush,
            Outcome = AuditOutcome.Denied,
        }));
        Assert.Empty(await AllPagesAsync(harness.Log, new AuditQuery { ActorKind = AuditActorKind.ServicePrincipal }));
    }

    [Fact]
    public async Task QueryAsync_LimitAboveMaximum_CappedAtMaxPageSize()
    {
        await using var harness = await SeededAsync();
        await harness.AppendManyAsync(40);
        var page = await harness.Log.QueryAsync(new AuditQuery { Limit = 10_000 }, CancellationToken.None);
        Assert.Equal(harness.Options.MaxPageSize, page.Records.Count);
        Assert.NotNull(page.NextCursor);
        var tiny = await harness.Log.QueryAsync(new AuditQuery { Limit = 0 }, CancellationToken.None);
        Assert.Single(tiny.Records);
    }

    [Theory]
    [InlineData("ActorId = 'bob'", "IX_audit_records_ActorId_Sequence")]
    [InlineData("Action = 'auth.login'", "IX_audit_records_Action_Sequence")]
    [InlineData("Target = 'x'", "IX_audit_records_Target_Sequence")]
    [InlineData("Outcome = 'denied'", "IX_audit_records_Outcome_Sequence")]
    public async Task Schema_FilteredKeysetPage_IsAnIndexRangeScanWithoutSort(string filter, string index)
    {
        // What QueryAsync sends for a filtered page: the plan must not scan the table or sort it.
        await using var harness = await SeededAsync();
        await using var connection = new SqliteConnection($"Data Source={harness.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"EXPLAIN QUERY PLAN SELECT * FROM audit_records WHERE {filter} AND Sequence < 1000 ORDER BY Sequence DESC LIMIT 101";
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.Contains(plan, step => step.Contains(index, StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }
}
