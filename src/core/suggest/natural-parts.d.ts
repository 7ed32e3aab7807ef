// natural's root import costs ~1.4 s and loads database clients we never use, so the engine
// imports the few files it needs directly; these are the shapes we rely on.
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}
declare module 'natural/lib/natural/tokenizers/regexp_tokenizer.js' {
  export class WordTokenizer {
    tokenize(text: string): string[];
  }
  const parts: { WordTokenizer: typeof WordTokenizer };
  export default parts;
}
declare module 'natural/lib/natural/util/stopwords.js' {
  const parts: { words: string[] };
  export default parts;
}
declare module 'natural/lib/natural/sentiment/SentimentAnalyzer.js' {
  export default class SentimentAnalyzer {
    constructor(language: string, stemmer: { stem(token: string): string } | null, type: string);
    getSentiment(words: string[]): number;
  }
}
declare module 'natural/lib/natural/classifiers/bayes_classifier.js' {
  export default class BayesClassifier {
    addDocument(text: string, label: string): void;
    train(): void;
    classify(text: string): string;
    getClassifications(text: string): { label: string; value: number }[];
  }
}
declare module 'natural/lib/natural/classifiers/logistic_regression_classifier.js' {
  export default class LogisticRegressionClassifier {
    addDocument(text: string, label: string): void;
    train(): void;
    classify(text: string): string;
  }
}
