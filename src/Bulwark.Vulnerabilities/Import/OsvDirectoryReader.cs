using System.Runtime.CompilerServices;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Import;

/// <summary>Reads OSV records from a single JSON file or from every <c>*.json</c> file under a directory (in name order).</summary>
public static class OsvDirectoryReader
{
    public static async IAsyncEnumerable<AdvisoryEntry> ReadAsync(
        string path,
        OsvLimits? limits,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        limits ??= OsvLimits.Default;
        IEnumerable<string> files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [path];
        foreach (var file in files)
        {
            var length = new FileInfo(file).Length;
            if (length > limits.MaxDocumentBytes)
            {
                yield return AdvisoryEntry.Rejected(file, $"{length} bytes, over the limit of {limits.MaxDocumentBytes}");
                continue;
            }

            var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            yield return OsvDocuments.Parse(file, bytes, limits);
        }
    }
}
