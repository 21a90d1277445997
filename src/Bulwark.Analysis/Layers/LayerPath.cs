using System.Text;

namespace Bulwark.Analysis.Layers;

/// <summary>Normalises entry names from layers and refuses the ones that could step outside the image root.</summary>
public static class LayerPath
{
    /// <summary>
    /// <c>./usr//bin/</c> becomes <c>usr/bin</c>; the root itself becomes the empty string. Absolute names,
    /// <c>..</c> segments, NUL bytes and names over <paramref name="maxBytes"/> are refused.
    /// </summary>
    /// <exception cref="HostileImageException">The name is unsafe.</exception>
    public static string Normalize(string name, int maxBytes, bool isLinkTarget = false)
    {
        if (Encoding.UTF8.GetByteCount(name) > maxBytes)
        {
            throw new HostileImageException(HostileImageReason.PathTooLong, $"entry name is longer than {maxBytes} bytes");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new HostileImageException(HostileImageReason.MalformedArchive, "entry name contains a NUL byte");
        }

        if (name.StartsWith('/'))
        {
            throw new HostileImageException(isLinkTarget ? HostileImageReason.LinkEscape : HostileImageReason.AbsolutePath,
                $"{(isLinkTarget ? "hard link target" : "entry name")} '{Printable(name)}' is absolute");
        }

        var builder = new StringBuilder(name.Length);
        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                throw new HostileImageException(isLinkTarget ? HostileImageReason.LinkEscape : HostileImageReason.PathTraversal,
                    $"{(isLinkTarget ? "hard link target" : "entry name")} '{Printable(name)}' contains '..'");
            }

            if (builder.Length > 0)
            {
                builder.Append('/');
            }

            builder.Append(segment);
        }

        return builder.ToString();
    }

    /// <summary>The parent directory of a normalised path ("" for a top-level name).</summary>
    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    public static string Combine(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;

    /// <summary>A name safe to put in an error message: control characters escaped, length capped.</summary>
    public static string Printable(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.Length > 200 ? name[..200] + "…" : name)
        {
            if (char.IsControl(c))
            {
                builder.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
