
namespace Bulwark.Server.Configuration;

/// <summary>Reads <c>bulwark.yaml</c> into .NET configuration.</summary>
public sealed class YamlConfigurationSource : FileConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new YamlConfigurationProvider(this);
    }
}
