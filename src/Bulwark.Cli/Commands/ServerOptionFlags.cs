using System.CommandLine;
using Bulwark.Server.Configuration;

namespace Bulwark.Cli.Commands;

/// <summary>The flags shared by commands that open the server's data: <c>--config</c> and <c>--data</c>.</summary>
internal sealed class ServerOptionFlags
{
    public Option<string?> Config { get; } = new("--config") { Description = "Configuration file (default: ./bulwark.yaml when present)" };

    public Option<string?> Data { get; } = new("--data") { Description = "Data directory (default: ./bulwark-data)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Data);
    }

    public ServerOptions Load(ParseResult result)
    {
        var options = ServerConfiguration.Load(result.GetValue(Config));
        if (result.GetValue(Data) is { } data)
        {
            options.Data = data;
        }

        return options;
    }
}
