namespace Bulwark.Analysis.Packages;

/// <summary>
/// Finds the first layer whose version of a package database contains a record, parsing each layer's version
/// of the database at most once.
/// </summary>
public sealed class LayerAttribution<TRecord>(IReadOnlyList<ImageFile> versions,
    Func<ImageFile, CancellationToken, Task<List<TRecord>>> parse)
{
    private readonly List<TRecord>?[] parsed = new List<TRecord>?[versions.Count];

    public async Task<int?> FirstLayerAsync(Func<TRecord, bool> predicate, CancellationToken cancellationToken)
    {
        for (var i = 0; i < versions.Count; i++)
        {
            parsed[i] ??= await TryParseAsync(versions[i], cancellationToken).ConfigureAwait(false);
            if (parsed[i]!.Any(predicate))
            {
                return versions[i].LayerIndex;
            }
        }

        return null;
    }

    private async Task<List<TRecord>> TryParseAsync(ImageFile file, CancellationToken cancellationToken)
    {
        try
        {
            return await parse(file, cancellationToken).ConfigureAwait(false);
        }
        catch (PackageDatabaseException)
        {
            // An older layer's copy that cannot be read only loses attribution, not packages.
            return [];
        }
    }
}
