using System.CommandLine;
using Bulwark.Cli.Commands;

var root = new RootCommand("Bulwark: a private OCI registry that only lets approved images through.")
{
    ServeCommand.Create(),
    GcCommand.Create(),
    AuditCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
