using System.Text.Json.Nodes;

namespace EvCloud.Fast.Ocpp.DeviceModel;

/// <summary>
/// One variable of a charging station's device model (OCPP 2.x Part 1 §4 "Device model"): which component and
/// variable, their attributes (Actual, Target, MinSet, MaxSet…) and characteristics, as last reported.
/// </summary>
/// <param name="Component">Component name (e.g. <c>EVSE</c>, <c>OCPPCommCtrlr</c>).</param>
/// <param name="ComponentInstance">Component instance, if any.</param>
/// <param name="EvseId">EVSE the component belongs to, if any.</param>
/// <param name="ConnectorId">Connector of that EVSE, if any.</param>
/// <param name="Variable">Variable name (e.g. <c>AvailabilityState</c>).</param>
/// <param name="VariableInstance">Variable instance, if any.</param>
/// <param name="Attributes">The reported VariableAttributeType objects, as received.</param>
/// <param name="Characteristics">The reported VariableCharacteristicsType, as received, if any.</param>
public sealed record DeviceModelEntry(
    string Component,
    string? ComponentInstance,
    int? EvseId,
    int? ConnectorId,
    string Variable,
    string? VariableInstance,
    JsonArray Attributes,
    JsonObject? Characteristics)
{
    /// <summary>The identity of the variable within the station.</summary>
    public string Key => $"{Component}/{ComponentInstance}/{EvseId}/{ConnectorId}/{Variable}/{VariableInstance}";
}

/// <summary>A station's device model: every variable it reported, and when the last complete report arrived.</summary>
/// <param name="ChargerId">The charge point id.</param>
/// <param name="ReportedAt">generatedAt of the last complete report.</param>
/// <param name="Entries">Variables by <see cref="DeviceModelEntry.Key"/>.</param>
public sealed record StationDeviceModel(string ChargerId, DateTimeOffset ReportedAt, IReadOnlyDictionary<string, DeviceModelEntry> Entries);
