using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace Recontext.Store;

/// <summary>
/// The services' store: MongoDB collections <c>runs</c>, <c>rollouts</c> and <c>experiments</c>, with the same
/// documents as the embedded store. Writes are upserts on the natural ids, so a redelivered batch or a restarted run never duplicates a trace;
/// rollouts are indexed on (runId, step) and (runId, hack).
/// </summary>
public sealed class MongoRunStore : IRunStore
{
    readonly IMongoCollection<RunDocument> runs;
    readonly IMongoCollection<RolloutDocument> rollouts;
    readonly IMongoCollection<ExperimentDocument> experiments;

    static MongoRunStore() => DocumentMaps.Register();

    /// <param name="url">a MongoDB connection string, e.g. <c>mongodb://localhost:27017/recontext</c></param>
    /// <param name="database">the database; by default the one the URL names, else <c>recontext</c></param>
    public MongoRunStore(string url, string? database = null)
    {
        MongoUrl parsed;
        try
        {
            parsed = MongoUrl.Create(url);
        }
        catch (Exception e) when (e is MongoConfigurationException or ArgumentException or FormatException)
        {
            throw new ArgumentException($"store: '{url}' is not a MongoDB connection string (mongodb://host:port/database): {e.Message}", nameof(url), e);
        }
        var settings = MongoClientSettings.FromUrl(parsed);
        // Fail within seconds when no server answers, rather than the driver's 30 s default.
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
        var client = new MongoClient(settings);
        var db = client.GetDatabase(database ?? parsed.DatabaseName ?? "recontext");
        runs = db.GetCollection<RunDocument>("runs");
        rollouts = db.GetCollection<RolloutDocument>("rollouts");
        experiments = db.GetCollection<ExperimentDocument>("experiments");
        var byRunAndStep = Builders<RolloutDocument>.IndexKeys.Ascending(r => r.RunId).Ascending(r => r.Step).Ascending(r => r.Index);
        var byRunAndHack = Builders<RolloutDocument>.IndexKeys.Ascending(r => r.RunId).Ascending(r => r.Misbehaved);
        rollouts.Indexes.CreateMany([new CreateIndexModel<RolloutDocument>(byRunAndStep), new CreateIndexModel<RolloutDocument>(byRunAndHack)]);
    }

    public void SaveRun(RunDocument run)
    {
        run.UpdatedUtc = DateTime.UtcNow;
        runs.ReplaceOne(r => r.Id == run.Id, run, new ReplaceOptions { IsUpsert = true });
    }

    public RunDocument? FindRun(string runId) => runs.Find(r => r.Id == runId).FirstOrDefault();

    public void SaveRollouts(IReadOnlyCollection<RolloutDocument> batch)
    {
        if (batch.Count == 0) return;
        var writes = batch.Select(r => new ReplaceOneModel<RolloutDocument>(Builders<RolloutDocument>.Filter.Eq(x => x.Id, r.Id), r) { IsUpsert = true });
        rollouts.BulkWrite(writes, new BulkWriteOptions { IsOrdered = false });
    }

    public IReadOnlyList<RolloutDocument> Rollouts(string runId, int? step = null, bool evaluation = false)
    {
        var where = Builders<RolloutDocument>.Filter;
        var filter = where.Eq(r => r.RunId, runId)
                     // "not eval" also matches documents written before the kind existed
                     & (evaluation ? where.Eq(r => r.Kind, RolloutDocument.EvalKind) : where.Ne(r => r.Kind, RolloutDocument.EvalKind));
        if (step is int s) filter &= where.Eq(r => r.Step, s);
        return rollouts.Find(filter).SortBy(r => r.Step).ThenBy(r => r.EvalContext).ThenBy(r => r.Index).ToList();
    }

    public void DeleteRolloutsAfter(string runId, int lastKeptStep) => rollouts.DeleteMany(r => r.RunId == runId && r.Step > lastKeptStep);

    public void SaveExperiment(ExperimentDocument experiment) =>
        experiments.ReplaceOne(e => e.Id == experiment.Id, experiment, new ReplaceOptions { IsUpsert = true });

    public ExperimentDocument? FindExperiment(string id) => experiments.Find(e => e.Id == id).FirstOrDefault();

    public IReadOnlyList<ExperimentDocument> Experiments() => experiments.Find(FilterDefinition<ExperimentDocument>.Empty).SortByDescending(e => e.SubmittedUtc).ToList();

    /// <summary>The driver holds no resources per store (its client pool is shared per connection string).</summary>
    public void Dispose()
    {
    }

    /// <summary>A status stored by its name (<see cref="RunStatuses.Name"/>), as LiteDB stores it.</summary>
    sealed class StatusByName : MongoDB.Bson.Serialization.Serializers.SerializerBase<RunStatus>
    {
        public override RunStatus Deserialize(MongoDB.Bson.Serialization.BsonDeserializationContext context, MongoDB.Bson.Serialization.BsonDeserializationArgs args) =>
            RunStatuses.Parse(context.Reader.ReadString());

        public override void Serialize(MongoDB.Bson.Serialization.BsonSerializationContext context, MongoDB.Bson.Serialization.BsonSerializationArgs args, RunStatus value) =>
            context.Writer.WriteString(value.Name());
    }

    /// <summary>Field names as in the design (camelCase), ids as <c>_id</c>, dates as UTC.</summary>
    static class DocumentMaps
    {
        static int registered;

        public static void Register()
        {
            if (Interlocked.Exchange(ref registered, 1) == 1) return;
            MongoDB.Bson.Serialization.Conventions.ConventionRegistry.Register("recontext",
                new MongoDB.Bson.Serialization.Conventions.ConventionPack { new MongoDB.Bson.Serialization.Conventions.CamelCaseElementNameConvention() },
                type => type == typeof(RunDocument) || type == typeof(RolloutDocument) || type == typeof(ExperimentDocument) || type == typeof(MetricRow));
            BsonClassMap.TryRegisterClassMap<RunDocument>(map =>
            {
                map.AutoMap();
                map.MapIdMember(r => r.Id);
                map.MapMember(r => r.UpdatedUtc).SetSerializer(new MongoDB.Bson.Serialization.Serializers.DateTimeSerializer(DateTimeKind.Utc));
                map.MapMember(r => r.Status).SetSerializer(new StatusByName());
            });
            BsonClassMap.TryRegisterClassMap<RolloutDocument>(map =>
            {
                map.AutoMap();
                map.MapIdMember(r => r.Id);
            });
            BsonClassMap.TryRegisterClassMap<ExperimentDocument>(map =>
            {
                map.AutoMap();
                map.MapIdMember(e => e.Id);
                map.MapMember(e => e.Status).SetSerializer(new StatusByName());
            });
        }
    }
}
