namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>The 43 traffic-sign classes of GTSRB, by class id (the names of the benchmark's usual class table).</summary>
internal static class GtsrbClasses
{
    /// <summary>Number of classes, 43.</summary>
    public const int Count = 43;

    /// <summary>Class names; index = class id.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(new[]
    {
        "Speed limit (20km/h)",
        "Speed limit (30km/h)",
        "Speed limit (50km/h)",
        "Speed limit (60km/h)",
        "Speed limit (70km/h)",
        "Speed limit (80km/h)",
        "End of speed limit (80km/h)",
        "Speed limit (100km/h)",
        "Speed limit (120km/h)",
        "No passing",
        "No passing for vehicles over 3.5 metric tons",
        "Right-of-way at the next intersection",
        "Priority road",
        "Yield",
        "Stop",
        "No vehicles",
        "Vehicles over 3.5 metric tons prohibited",
        "No entry",
        "General caution",
        "Dangerous curve to the left",
        "Dangerous curve to the right",
        "Double curve",
        "Bumpy road",
        "Slippery road",
        "Road narrows on the right",
        "Road work",
        "Traffic signals",
        "Pedestrians",
        "Children crossing",
        "Bicycles crossing",
        "Beware of ice/snow",
        "Wild animals crossing",
        "End of all speed and passing limits",
        "Turn right ahead",
        "Turn left ahead",
        "Ahead only",
        "Go straight or right",
        "Go straight or left",
        "Keep right",
        "Keep left",
        "Roundabout mandatory",
        "End of no passing",
        "End of no passing by vehicles over 3.5 metric tons",
    });

    /// <summary>The name of a class.</summary>
    /// <param name="classId">0..42.</param>
    /// <returns>The class name, e.g. "Stop" for 14.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classId"/> is outside 0..42.</exception>
    public static string Name(int classId)
    {
        if (classId < 0 || classId >= Count)
            throw new ArgumentOutOfRangeException(nameof(classId), classId, $"GTSRB class ids are 0..{Count - 1}.");
        return Names[classId];
    }
}
