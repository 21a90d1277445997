using System.CommandLine;
using Bulwark.Cli.Commands;
using Bulwark.Cli.Commands.Admin;

var root = new RootCommand("Bulwark: a private OCI registry that only lets approved images through.")
{
    ServeCommand.Create(),
    GcCommand.Create(),
    AdminCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
