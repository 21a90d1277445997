using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Configuration;

/// <summary>The image configuration checks, with their stable ids (docs/analysis.md lists them).</summary>
public static class ConfigChecks
{
    public static ConfigCheck RunsAsRoot { get; } = new("BWK-CFG-001", FindingSeverity.High, "Image runs as root",
        "Create an unprivileged user and add `USER <name or uid>` to the Dockerfile (uid other than 0).");

    public static ConfigCheck SecretInEnv { get; } = new("BWK-CFG-002", FindingSeverity.Critical, "Secret in an environment variable",
        "Remove the secret from ENV/ARG; pass it at run time (a secret store, a mounted file) or use `RUN --mount=type=secret` at build time, and rotate it.");

    public static ConfigCheck SensitivePort { get; } = new("BWK-CFG-003", FindingSeverity.Medium, "Sensitive port exposed",
        "Remove the EXPOSE line; remote shells, desktops, the Docker API and databases should not be reachable from the image by default.");

    public static ConfigCheck NoHealthcheck { get; } = new("BWK-CFG-004", FindingSeverity.Low, "No health check",
        "Add a HEALTHCHECK instruction (or rely on the orchestrator's probes and record that decision).");

    public static ConfigCheck UnpinnedBaseImage { get; } = new("BWK-CFG-005", FindingSeverity.Medium, "Base image not pinned",
        "Use a specific tag and a digest in FROM (`FROM debian:12.8@sha256:…`) so rebuilds are reproducible and reviewed.");

    public static ConfigCheck RemoteAdd { get; } = new("BWK-CFG-006", FindingSeverity.Medium, "ADD from a remote URL",
        "Download with a pinned checksum (`ADD --checksum=sha256:…` or `RUN curl … && sha256sum -c`) or COPY a vetted file.");

    public static ConfigCheck SetIdFile { get; } = new("BWK-CFG-007", FindingSeverity.Medium, "Setuid or setgid file",
        "Remove the setuid/setgid bit (`chmod u-s,g-s`) or the file itself unless the container really needs it; run with no-new-privileges.");

    public static ConfigCheck WorldWritableFile { get; } = new("BWK-CFG-008", FindingSeverity.Medium, "World-writable file",
        "Remove write permission for others (`chmod o-w`).");

    public static ConfigCheck WorldWritableDirectory { get; } = new("BWK-CFG-009", FindingSeverity.Medium, "World-writable directory without the sticky bit",
        "Remove write permission for others (`chmod o-w`) or set the sticky bit (`chmod +t`) as /tmp has.");

    public static IReadOnlyList<ConfigCheck> All { get; } =
        [RunsAsRoot, SecretInEnv, SensitivePort, NoHealthcheck, UnpinnedBaseImage, RemoteAdd, SetIdFile, WorldWritableFile, WorldWritableDirectory];

    /// <summary>Ports whose exposure is reported, with what usually listens there.</summary>
    public static IReadOnlyDictionary<int, string> SensitivePorts { get; } = new Dictionary<int, string>
    {
        [21] = "FTP",
        [22] = "SSH",
        [23] = "Telnet",
        [135] = "Microsoft RPC",
        [445] = "SMB",
        [1433] = "Microsoft SQL Server",
        [1521] = "Oracle database",
        [2375] = "Docker API (plain)",
        [2376] = "Docker API (TLS)",
        [2379] = "etcd client",
        [2380] = "etcd peer",
        [3306] = "MySQL/MariaDB",
        [3389] = "RDP",
        [5432] = "PostgreSQL",
        [5900] = "VNC",
        [5984] = "CouchDB",
        [6379] = "Redis",
        [9200] = "Elasticsearch",
        [9300] = "Elasticsearch transport",
        [10250] = "Kubelet API",
        [11211] = "Memcached",
        [27017] = "MongoDB",
    };
}
