using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Identity.Management;
using Bulwark.Identity.Principals;
using Bulwark.Server.Identity;
using Bulwark.Server.Management;
using Bulwark.Server.Scanning;

namespace Bulwark.Server;

/// <summary>Source-generated JSON for the token endpoint and the management API (camelCase, enums in kebab-case).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(UpdatePrincipalRequest))]
[JsonSerializable(typeof(CreateServicePrincipalRequest))]
[JsonSerializable(typeof(CreateRepositoryTokenRequest))]
[JsonSerializable(typeof(CreateSecretRequest))]
[JsonSerializable(typeof(ScopeMapRequest))]
[JsonSerializable(typeof(RoleAssignmentRequest))]
[JsonSerializable(typeof(PublicPatternRequest))]
[JsonSerializable(typeof(IReadOnlyList<RoleDescription>))]
[JsonSerializable(typeof(PrincipalView))]
[JsonSerializable(typeof(Page<PrincipalView>))]
[JsonSerializable(typeof(CreatedSecret))]
[JsonSerializable(typeof(ScopeMapView))]
[JsonSerializable(typeof(Page<ScopeMapView>))]
[JsonSerializable(typeof(RoleAssignmentView))]
[JsonSerializable(typeof(Page<RoleAssignmentView>))]
[JsonSerializable(typeof(PublicPatternView))]
[JsonSerializable(typeof(IReadOnlyList<PublicPatternView>))]
[JsonSerializable(typeof(IReadOnlyList<RefreshTokenView>))]
[JsonSerializable(typeof(PrincipalKind))]
[JsonSerializable(typeof(ImageScanView))]
[JsonSerializable(typeof(ScanPage<ImageScanView>))]
[JsonSerializable(typeof(ScanPage<FindingView>))]
[JsonSerializable(typeof(SbomAttachment))]
[JsonSerializable(typeof(AdvisoryUpdateRequest))]
[JsonSerializable(typeof(AdvisoryUpdateReport))]
[JsonSerializable(typeof(IReadOnlyList<Bulwark.Vulnerabilities.Advisories.AdvisorySource>))]
[JsonSerializable(typeof(AuditHeadView))]
[JsonSerializable(typeof(Bulwark.Server.Policy.PolicyVersionView))]
[JsonSerializable(typeof(Page<Bulwark.Server.Policy.PolicyVersionView>))]
[JsonSerializable(typeof(IReadOnlyList<Bulwark.Server.Policy.PolicyVersionView>))]
[JsonSerializable(typeof(Bulwark.Server.Policy.ImageDecisionReport))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
public sealed partial class BulwarkJsonContext : JsonSerializerContext;
