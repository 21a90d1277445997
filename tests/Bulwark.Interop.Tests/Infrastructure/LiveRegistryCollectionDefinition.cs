namespace Bulwark.Interop.Tests.Infrastructure;

/// <summary>
/// All interop tests share one registry process; xunit runs the tests of one collection one after another,
/// so the registry sees the same sequential traffic it would from a single CI pipeline.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LiveRegistryCollectionDefinition : ICollectionFixture<LiveRegistryFixture>
{
    public const string Name = "Live registry";
}
