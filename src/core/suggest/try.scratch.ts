import { evaluateSuggestions } from './engine/evaluate';
import { readCodedCsv } from './eval-data';
const rep = await evaluateSuggestions(readCodedCsv('/work/shared/data/coded_text/taguette_serdif_all_tags_20220303.csv'), { learningCurve: process.env.LC ? [5,10,20,50] : [], model: JSON.parse(process.env.M ?? "{}") });
console.log(JSON.stringify({ ...rep, perCode: process.env.PC ? rep.perCode : undefined }, null, 1));
