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

            builder.Add(new YamlConfigurationSource { Path = full, Optional = false, ReloadOnChange = false });
        }
        else if (File.Exists(DefaultFile))
        {
            builder.Add(new YamlConfigurationSource { Path = Path.GetFullPath(DefaultFile), Optional = true, ReloadOnChange = false });
        }

        builder.AddEnvironmentVariables("BULWARK_");
        var options = new ServerOptions();
        try
        {
            builder.Build().Bind(options, binder => binder.ErrorOnUnknownConfiguration = false);
        }
        catch (InvalidOperationException e)
        {
            throw new ServerConfigurationException($"invalid configuration: {e.Message}", e);
        }

        return options;
    }
}
