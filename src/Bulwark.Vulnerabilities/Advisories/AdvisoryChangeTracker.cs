using System.Security.Cryptography;

namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>
/// Compares the advisories an import writes with those it replaces (by id and SHA-256 of the stored document) and
/// collects the package keys of every advisory added, modified or removed: the <see cref="AdvisoryChangeSet"/>.
/// </summary>
internal sealed class AdvisoryChangeTracker(Dictionary<string, AdvisoryChangeTracker.Previous> previous)
{
    private readonly HashSet<(string Ecosystem, string Release, string Name)> _packages = [];
    private int _added;
    private int _modified;
    private bool _overflow;

    public static byte[] Hash(ReadOnlySpan<byte> document) => SHA256.HashData(document);

    /// <summary>An advisory of the new import, with the package keys it names.</summary>
    public void Record(string id, byte[] hash, IEnumerable<(string Ecosystem, string Release, string Name)> packages)
    {
        if (previous.Remove(id, out var old))
        {
            if (old.Hash.AsSpan().SequenceEqual(hash))
            {
                return;
            }

            _modified++;
            Add(old.Packages);
        }
        else
        {
            _added++;
        }

        Add(packages);
    }

    /// <summary>The changes, once every advisory of the import was recorded: those never recorded were removed.</summary>
    public AdvisoryChangeSet Finish()
    {
        foreach (var old in previous.Values)
        {
            Add(old.Packages);
        }

        return new AdvisoryChangeSet(_added, _modified, previous.Count, _overflow ? null : _packages);
    }

    private void Add(IEnumerable<(string Ecosystem, string Release, string Name)> packages)
    {
        foreach (var key in packages)
        {
            if (_overflow)
            {
                return;
            }

            _packages.Add(key);
            if (_packages.Count > AdvisoryChangeSet.MaxPackages)
            {
                _overflow = true;
                _packages.Clear();
            }
        }
    }

    /// <summary>A stored advisory before the import: its document's hash and the package keys it named.</summary>
    public sealed record Previous(byte[] Hash, List<(string Ecosystem, string Release, string Name)> Packages);
}
