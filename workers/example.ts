/** lab_common_so's example work: echoes the request body. */
import type { Work } from '../src/pool/work.js';

const example: Work = {
  call(body) {
    return body;
  },
};

export default example;
