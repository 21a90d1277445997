namespace Bulwark.Server.Configuration;

/// <summary>
/// Loads <see cref="ServerOptions"/>: the YAML file (the given one must exist; <c>./bulwark.yaml</c> is read
/// when present), then <c>BULWARK_</c> environment variables, which win.
/// </summary>
public static class ServerConfiguration
{
    public const string DefaultFile = "bulwark.yaml";

    public static ServerOptions Load(string? configFile)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new ServerConfigurationException($"configuration file '{configFile}' does not exist");
            }

            builder.Add(Source(full, optional: false));
        }
        else if (File.Exists(DefaultFile))
        {
            builder.Add(Source(Path.GetFullPath(DefaultFile), optional: true));
        }

        builder.AddEnvironmentVariables("BULWARK_");
        var options = new ServerOptions();
        try
        {
            builder.Build().Bind(options, binder => binder.ErrorOnUnknownConfiguration = false);
        }
        catch (InvalidDataException e) when (e.InnerException is ServerConfigurationException inner)
        {
            throw new ServerConfigurationException($"{configFile ?? DefaultFile}: {inner.Message}", inner);
        }
        catch (InvalidOperationException e)
        {
            throw new ServerConfigurationException($"invalid configuration: {e.Message}", e);
        }

        return options;
    }

    private static YamlConfigurationSource Source(string fullPath, bool optional)
    {
        var source = new YamlConfigurationSource { Path = fullPath, Optional = optional, ReloadOnChange = false };
        // Without this, the path is resolved against the application's base directory, not taken as absolute.
        source.ResolveFileProvider();
        return source;
    }
}
