// Loads a data package with the npm `datapackage` reader (Data Package v1) and prints, as JSON, what
// it made of it: whether the descriptor is valid to it, and each resource's name, whether it is
// tabular, its field names and types, and its row count, read from the files.
const { Package } = require("datapackage");

async function main(descriptor) {
  const dataPackage = await Package.load(descriptor);
  const resources = [];
  for (const resource of dataPackage.resources) {
    const rows = resource.tabular ? await resource.read({ keyed: true }) : [];
    resources.push({
      name: resource.name,
      tabular: resource.tabular,
      fields: resource.tabular ? resource.schema.fields.map((f) => [f.name, f.type]) : [],
      rows: rows.length,
      first: rows[0] || null,
    });
  }
  console.log(JSON.stringify({ valid: dataPackage.valid, errors: dataPackage.errors.map(String), resources }));
}

main(process.argv[2]).catch((error) => {
  console.error(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
