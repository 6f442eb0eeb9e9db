import streamlit as st
st.title('regions')
