using System.Text.Json.Nodes;

namespace Bulwark.Policy.Admission;

/// <summary>
/// The <c>request</c> of an <c>admission.k8s.io/v1</c> AdmissionReview: what kube-apiserver asks the webhook about.
/// </summary>
/// <param name="Uid">Echoed in the response so the API server can match it.</param>
/// <param name="Kind">The object's group/version/kind (<c>apps/v1 Deployment</c>).</param>
/// <param name="Resource">The resource's group/version/resource (<c>apps/v1 deployments</c>).</param>
/// <param name="SubResource">Empty, or <c>ephemeralcontainers</c>, <c>status</c>…</param>
/// <param name="Operation"><c>CREATE</c>, <c>UPDATE</c>, <c>DELETE</c> or <c>CONNECT</c>.</param>
/// <param name="NewObject">The new object; null for DELETE.</param>
/// <param name="OldObject">The object before an UPDATE (or the deleted object); null otherwise.</param>
public sealed record AdmissionRequest(
    string Uid,
    GroupVersionKind Kind,
    GroupVersionKind Resource,
    string SubResource,
    string Name,
    string Namespace,
    string Operation,
    bool DryRun,
    string Username,
    IReadOnlyList<string> Groups,
    JsonObject? NewObject,
    JsonObject? OldObject);
