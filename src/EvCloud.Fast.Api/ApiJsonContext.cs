using System.Text.Json;
using System.Text.Json.Serialization;
using EvCloud.Fast.Api.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace EvCloud.Fast.Api;

/// <summary>Source-generated JSON for every API body (web defaults: camelCase, enums never appear as numbers).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Page<ChargerSummary>))]
[JsonSerializable(typeof(ChargerDetail))]
[JsonSerializable(typeof(DeviceModelView))]
[JsonSerializable(typeof(Page<TransactionView>))]
[JsonSerializable(typeof(TransactionView))]
[JsonSerializable(typeof(TransactionDetail))]
[JsonSerializable(typeof(Page<TokenView>))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(TokenWrite))]
[JsonSerializable(typeof(RegistrationView))]
[JsonSerializable(typeof(RegistrationWrite))]
[JsonSerializable(typeof(CredentialsView))]
[JsonSerializable(typeof(CredentialsWrite))]
[JsonSerializable(typeof(CredentialsRotated))]
[JsonSerializable(typeof(ApiKeyView[]))]
[JsonSerializable(typeof(ApiKeyCreate))]
[JsonSerializable(typeof(ApiKeyCreated))]
[JsonSerializable(typeof(CommandResponse))]
[JsonSerializable(typeof(StopChargingBody))]
[JsonSerializable(typeof(EvCloud.Fast.Api.Commands.StartChargingRequest))]
[JsonSerializable(typeof(EvCloud.Fast.Api.Commands.ResetRequest))]
[JsonSerializable(typeof(EvCloud.Fast.Api.Commands.UnlockConnectorRequest))]
[JsonSerializable(typeof(EvCloud.Fast.Api.Commands.SetAvailabilityRequest))]
[JsonSerializable(typeof(EvCloud.Fast.Api.Commands.ChangeConfigurationRequest))]
[JsonSerializable(typeof(EvCloud.Fast.Api.Commands.SetChargingLimitRequest))]
[JsonSerializable(typeof(EvCloud.Fast.Api.Commands.TriggerMessageRequest))]
[JsonSerializable(typeof(EvCloud.Fast.Api.Commands.ReserveNowRequest))]
[JsonSerializable(typeof(QueuedCommandView))]
[JsonSerializable(typeof(QueuedCommandView[]))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonElement[]))]
[JsonSerializable(typeof(CdrPage))]
[JsonSerializable(typeof(CdrDetail))]
[JsonSerializable(typeof(CdrCorrection))]
[JsonSerializable(typeof(CdrCorrected))]
[JsonSerializable(typeof(TariffAssignment))]
[JsonSerializable(typeof(TariffAssignmentView[]))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(SessionView[]))]
[JsonSerializable(typeof(UnbillableView[]))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
