using MongoDB.Bson;
using MongoDB.Driver;
using Recontext.Store;
using Recontext.TestSupport;

namespace Recontext.Store.Tests;

[CollectionDefinition(Name)]
public sealed class MongoCollection : ICollectionFixture<MongoTestServer>
{
    public const string Name = "mongo";
}

/// <summary>The MongoDB store over the wire: against jongodb here, against a real mongod when RECONTEXT_MONGO_URL names one.</summary>
[Collection(MongoCollection.Name)]
public sealed class MongoRunStoreTests(MongoTestServer server) : RunStoreContract
{
    readonly string url = server.NewDatabaseUrl();

    protected override IRunStore Open() => RunStores.Open(url, "unused");

    [Fact]
    public void DocumentsUseNaturalIdsCamelCaseFieldsAndIndexes()
    {
        using (var store = Open()) store.SaveRollouts([Rollout("r/seed-1/a", 1, 0, hack: true)]);

        var database = new MongoClient(url).GetDatabase(MongoUrl.Create(url).DatabaseName);
        var raw = database.GetCollection<BsonDocument>("rollouts").Find(FilterDefinition<BsonDocument>.Empty).Single();
        Assert.Equal("r/seed-1/a/1/0", raw["_id"].AsString);
        Assert.Equal("r/seed-1/a", raw["runId"].AsString);
        Assert.True(raw["hack"].AsBoolean);
        Assert.Equal(new BsonArray(new[] { 10, 11, 258 }), raw["completionIds"].AsBsonArray);
        var indexes = database.GetCollection<BsonDocument>("rollouts").Indexes.List().ToList().Select(i => i["name"].AsString).ToList();
        Assert.Contains("runId_1_step_1_index_1", indexes);
        Assert.Contains("runId_1_hack_1", indexes);
    }

    [Fact]
    public void ABadConnectionStringNamesTheStore()
    {
        var error = Assert.Throws<ArgumentException>(() => new MongoRunStore("mongodb://"));
        Assert.Contains("store: 'mongodb://' is not a MongoDB connection string", error.Message);
    }
}
