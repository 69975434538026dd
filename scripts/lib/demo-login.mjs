// What `npm start` prints for the demo member (scripts/seed/demo-data.ts).
export const DEMO_LOGIN =
  'national code 0499370899, membership type GROUP, mobile 09121234567 (contract 1722169; spouse 0499370902, child 0499370910)';
