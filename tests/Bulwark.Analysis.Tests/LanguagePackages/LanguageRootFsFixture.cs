using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Sources;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.LanguagePackages;

/// <summary>
/// The language fixture root filesystem (<see cref="LanguageFixtures.RootFsAsync"/>) analysed once, through
/// <see cref="ImageSources.Open"/> and the default analyzer set (OS and language analyzers).
/// </summary>
public sealed class LanguageRootFsFixture : IAsyncLifetime
{
    public ImageInventory Inventory { get; private set; } = null!;

    public string Root { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Root = await LanguageFixtures.RootFsAsync();
        await using var source = ImageSources.Open(Root);
        Inventory = Assert.Single(await new ImageAnalyzer().AnalyzeAsync(source, null, CancellationToken.None));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public IReadOnlyList<Package> OfType(string type) => [.. Inventory.Packages.Where(p => p.Type == type)];
}
