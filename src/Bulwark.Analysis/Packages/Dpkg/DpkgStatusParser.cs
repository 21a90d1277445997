namespace Bulwark.Analysis.Packages.Dpkg;

/// <summary>
/// Reads installed packages from a dpkg status file (or a distroless <c>status.d/</c> entry). A package counts
/// when its <c>Status</c> is "… ok installed" (or absent, as distroless writes it). <c>Source</c> is either
/// <c>name</c> or <c>name (version)</c>; missing parts default to the binary package's own.
/// </summary>
public static class DpkgStatusParser
{
    public static IEnumerable<DpkgPackageRecord> Parse(TextReader reader)
    {
        foreach (var paragraph in DebianControlParser.Parse(reader))
        {
            if (!paragraph.TryGetValue("Package", out var name) || !paragraph.TryGetValue("Version", out var version)
                || name.Length == 0 || version.Length == 0)
            {
                continue;
            }

            if (paragraph.TryGetValue("Status", out var status))
            {
                var words = status.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length != 3 || words[2] != "installed")
                {
                    continue;
                }
            }

            var sourceName = name;
            var sourceVersion = version;
            if (paragraph.TryGetValue("Source", out var source) && source.Length > 0)
            {
                var open = source.IndexOf('(', StringComparison.Ordinal);
                if (open >= 0)
                {
                    sourceName = source[..open].Trim();
                    var close = source.IndexOf(')', open);
                    sourceVersion = (close > open ? source[(open + 1)..close] : source[(open + 1)..]).Trim();
                }
                else
                {
                    sourceName = source.Trim();
                }
            }

            yield return new DpkgPackageRecord(name, version, paragraph.GetValueOrDefault("Architecture"), sourceName, sourceVersion);
        }
    }
}
