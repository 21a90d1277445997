namespace Bulwark.Analysis.Packages.Apk;

/// <summary>
/// Parses <c>lib/apk/db/installed</c> (apk-tools' database: blank-line separated records of <c>X:value</c> lines;
/// P name, V version, A arch, o origin, L licence, F a directory and R a file in the last F).
/// </summary>
public static class ApkInstalledParser
{
    public static IEnumerable<ApkPackageRecord> Parse(TextReader reader)
    {
        string? name = null, version = null, arch = null, origin = null, license = null, directory = null;
        var files = new List<string>();
        while (true)
        {
            var line = reader.ReadLine();
            if (line is null || line.Length == 0)
            {
                if (name is not null && version is not null)
                {
                    yield return new ApkPackageRecord(name, version, arch, origin, license, files);
                }

                if (line is null)
                {
                    yield break;
                }

                name = version = arch = origin = license = directory = null;
                files = [];
                continue;
            }

            if (line.Length < 2 || line[1] != ':')
            {
                continue;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'P': name = value; break;
                case 'V': version = value; break;
                case 'A': arch = value; break;
                case 'o': origin = value; break;
                case 'L': license = value; break;
                case 'F': directory = value; break;
                case 'R': files.Add("/" + (directory is null or "" ? value : directory + "/" + value)); break;
            }
        }
    }
}
